package org.latentstudio.diffusion;

/**
 * The float logarithm and sine/cosine that torch's AVX2 {@code normal_fill_16_AVX2} uses: {@code log256_ps} and
 * {@code sincos256_ps} from ATen's {@code avx_mathfun.h} (Cephes polynomials, by way of Julien Pommier's
 * sse_mathfun), one lane at a time.
 *
 * <p>The fused multiply-adds are where GCC contracts the intrinsics' separate multiply and add in torch's
 * AVX2 build (checked bit for bit against torch 1.13 on 300,000+ values); the remaining products are exact,
 * so fusing them or not gives the same floats.
 */
final class AvxMathFun {
  private static final float SQRTHF = 0.707106781186547524f;
  private static final float LOG_P0 = 7.0376836292E-2f;
  private static final float LOG_P1 = -1.1514610310E-1f;
  private static final float LOG_P2 = 1.1676998740E-1f;
  private static final float LOG_P3 = -1.2420140846E-1f;
  private static final float LOG_P4 = 1.4249322787E-1f;
  private static final float LOG_P5 = -1.6668057665E-1f;
  private static final float LOG_P6 = 2.0000714765E-1f;
  private static final float LOG_P7 = -2.4999993993E-1f;
  private static final float LOG_P8 = 3.3333331174E-1f;
  private static final float LOG_Q1 = -2.12194440e-4f;
  private static final float LOG_Q2 = 0.693359375f;

  private static final float MINUS_DP1 = -0.78515625f;
  private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
  private static final float MINUS_DP3 = -3.77489497744594108e-8f;
  private static final float SINCOF_P0 = -1.9515295891E-4f;
  private static final float SINCOF_P1 = 8.3321608736E-3f;
  private static final float SINCOF_P2 = -1.6666654611E-1f;
  private static final float COSCOF_P0 = 2.443315711809948E-005f;
  private static final float COSCOF_P1 = -1.388731625493765E-003f;
  private static final float COSCOF_P2 = 4.166664568298827E-002f;
  private static final float FOPI = 1.27323954473516f; // 4 / pi

  private AvxMathFun() {}

  /** {@code log256_ps} for one positive, normal float (Box–Muller only passes values in (0, 1]). */
  static float log(float v) {
    int bits = Float.floatToRawIntBits(Math.max(v, Float.MIN_NORMAL));
    int exponent = (bits >>> 23) - 0x7f;
    float x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
    float e = (float) exponent + 1f;
    // if (x < SQRTHF) { e -= 1; x = x + x - 1; } else { x = x - 1; }
    boolean small = x < SQRTHF;
    float tmp = small ? x : 0f;
    x = x - 1f;
    e = e - (small ? 1f : 0f);
    x = x + tmp;
    float z = x * x;
    float y = LOG_P0;
    y = Math.fma(y, x, LOG_P1);
    y = Math.fma(y, x, LOG_P2);
    y = Math.fma(y, x, LOG_P3);
    y = Math.fma(y, x, LOG_P4);
    y = Math.fma(y, x, LOG_P5);
    y = Math.fma(y, x, LOG_P6);
    y = Math.fma(y, x, LOG_P7);
    y = Math.fma(y, x, LOG_P8);
    y = y * x;
    y = Math.fma(y, z, e * LOG_Q1);
    y = y - z * 0.5f;
    x = x + y;
    x = x + e * LOG_Q2;
    return v <= 0f ? Float.NaN : x;
  }

  /** {@code sincos256_ps} for one float: {@code out[0]} = sine, {@code out[1]} = cosine. */
  static void sincos(float v, float[] out) {
    boolean signSin = v < 0f || (v == 0f && 1f / v < 0f);
    float x = Math.abs(v);
    int j = (int) (x * FOPI);
    j = (j + 1) & ~1;
    float y = (float) j;
    boolean swapSin = (j & 4) != 0;
    boolean polyMask = (j & 2) == 0;
    boolean signCos = ((~(j - 2)) & 4) != 0;
    // extended precision modular arithmetic: x = ((x - y * DP1) - y * DP2) - y * DP3
    x = Math.fma(y, MINUS_DP1, x);
    x = Math.fma(y, MINUS_DP2, x);
    x = Math.fma(y, MINUS_DP3, x);
    signSin ^= swapSin;
    float z = x * x;
    float yc = COSCOF_P0;
    yc = Math.fma(yc, z, COSCOF_P1);
    yc = Math.fma(yc, z, COSCOF_P2);
    yc = yc * z;
    yc = Math.fma(yc, z, -(z * 0.5f));
    yc = yc + 1f;
    float ys = SINCOF_P0;
    ys = Math.fma(ys, z, SINCOF_P1);
    ys = Math.fma(ys, z, SINCOF_P2);
    ys = ys * z;
    ys = Math.fma(ys, x, x);
    float s = polyMask ? ys : yc;
    float c = polyMask ? yc : ys;
    out[0] = signSin ? -s : s;
    out[1] = signCos ? -c : c;
  }
}
