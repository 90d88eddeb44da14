package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * Reproduces torch's CPU generator: {@code g = torch.Generator("cpu").manual_seed(seed)} followed by
 * {@code torch.randn(shape, generator=g)} calls, value for value (torch 1.13, x86-64 with AVX2, which is the
 * path every current desktop CPU takes).
 *
 * <p>What torch does, and so what this class does:
 * <ul>
 *   <li>{@code manual_seed} seeds an mt19937 with the low 32 bits of the 64-bit seed (standard
 *       {@code init_genrand}), and clears the cached normal.
 *   <li>Tensors of 16 or more values ({@code normal_fill_AVX2}): one 24-bit uniform per value,
 *       {@code (u32 & 0xFFFFFF) * 2^-24}; then Box–Muller over blocks of 16 (values {@code j} and {@code j+8}
 *       of a block come from the pair {@code 1 - u[j]}, {@code u[j+8]}). When the size is not a multiple of 16,
 *       16 fresh uniforms overwrite the last 16 values and that block is transformed again. The float log and
 *       sin/cos are the AVX ones from {@link AvxMathFun}, so the values are bit for bit torch's.
 *   <li>Tensors of fewer than 16 values ({@code normal_distribution<double>}): each value takes two 53-bit
 *       uniforms (two mt19937 words each) and gives {@code r cos(theta)}, caching {@code r sin(theta)} in the
 *       generator; the next scalar-path value uses the cache first. The cache survives across calls (a
 *       {@code randn(3)} leaves one behind for the next small call) and is not touched by the 16+ path.
 * </ul>
 *
 * <p>Not thread-safe; torch's generator is not either without its mutex.
 */
public final class TorchGenerator implements NoiseSource {
  private static final int N = 624;
  private static final int M = 397;
  private static final float TWO_PI = (float) (2.0 * Math.PI);

  private final int[] mt = new int[N];
  private int next;
  private int left;
  private long seed;
  private boolean hasCachedNormal;
  private double cachedNormal;

  public TorchGenerator(long seed) {
    manualSeed(seed);
  }

  /**
   * {@code Generator.manual_seed(seed)}. The seed is taken as an unsigned 64-bit value (so {@code -1} is
   * 2^64 - 1, as in torch); only its low 32 bits reach the mt19937.
   */
  public void manualSeed(long seed) {
    this.seed = seed;
    int s = (int) seed;
    mt[0] = s;
    for (int j = 1; j < N; j++) {
      mt[j] = 1812433253 * (mt[j - 1] ^ (mt[j - 1] >>> 30)) + j;
    }
    left = 1;
    next = 0;
    hasCachedNormal = false;
  }

  /** The seed last given to {@link #manualSeed}; print it with {@link Long#toUnsignedString(long)}. */
  public long initialSeed() {
    return seed;
  }

  /** An independent generator in the same state, like {@code g2.set_state(g.get_state())}. */
  public TorchGenerator copy() {
    TorchGenerator c = new TorchGenerator(0);
    System.arraycopy(mt, 0, c.mt, 0, N);
    c.next = next;
    c.left = left;
    c.seed = seed;
    c.hasCachedNormal = hasCachedNormal;
    c.cachedNormal = cachedNormal;
    return c;
  }

  @Override
  public Tensor randn(int... shape) {
    Tensor t = Tensor.zeros(shape);
    fillNormal(t.data());
    return t;
  }

  /** Fills {@code out} as {@code torch.randn(out.length)} would. */
  public void fillNormal(float[] out) {
    int size = out.length;
    if (size >= 16) {
      normalFill(out);
    } else {
      for (int i = 0; i < size; i++) {
        out[i] = (float) nextDoubleNormal();
      }
    }
  }

  /** The next 32-bit mt19937 output, unsigned in the low 32 bits of the result. */
  long nextUint32() {
    if (--left == 0) {
      nextState();
    }
    int y = mt[next++];
    y ^= (y >>> 11);
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= (y >>> 18);
    return y & 0xFFFFFFFFL;
  }

  private void nextState() {
    left = N;
    next = 0;
    for (int k = 0; k < N; k++) {
      int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
      mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
    }
  }

  /** {@code uniform_real_distribution<float>(0, 1)}: 24 random bits. */
  private float uniformFloat() {
    return (nextUint32() & 0xFFFFFF) * (1.0f / (1 << 24));
  }

  /** {@code uniform_real_distribution<double>(0, 1)}: 53 bits of {@code random64()} (high word first). */
  private double uniformDouble() {
    long hi = nextUint32();
    long lo = nextUint32();
    long v = (hi << 32) | lo;
    return (v & ((1L << 53) - 1)) * (1.0 / (1L << 53));
  }

  /** {@code normal_distribution<double>(0, 1)} with the generator's cached second value. */
  private double nextDoubleNormal() {
    if (hasCachedNormal) {
      hasCachedNormal = false;
      return cachedNormal;
    }
    double u1 = uniformDouble();
    double u2 = uniformDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u2));
    double theta = 2.0 * Math.PI * u1;
    cachedNormal = r * StrictMath.sin(theta);
    hasCachedNormal = true;
    return r * StrictMath.cos(theta);
  }

  private void normalFill(float[] data) {
    int size = data.length;
    for (int i = 0; i < size; i++) {
      data[i] = uniformFloat();
    }
    float[] sincos = new float[2];
    for (int i = 0; i + 16 <= size; i += 16) {
      normalFill16(data, i, sincos);
    }
    if (size % 16 != 0) {
      // torch recomputes the last 16 values from 16 fresh uniforms
      int start = size - 16;
      for (int i = 0; i < 16; i++) {
        data[start + i] = uniformFloat();
      }
      normalFill16(data, start, sincos);
    }
  }

  private static void normalFill16(float[] data, int at, float[] sincos) {
    for (int j = 0; j < 8; j++) {
      float u1 = 1f - data[at + j];
      float u2 = data[at + j + 8];
      float radius = (float) Math.sqrt(-2f * AvxMathFun.log(u1));
      float theta = TWO_PI * u2;
      AvxMathFun.sincos(theta, sincos);
      // _mm256_fmadd_ps(n, std = 1, mean = 0)
      data[at + j] = Math.fma(radius * sincos[1], 1f, 0f);
      data[at + j + 8] = Math.fma(radius * sincos[0], 1f, 0f);
    }
  }

  @Override
  public String toString() {
    return "TorchGenerator[seed=" + Long.toUnsignedString(seed) + "]";
  }
}
