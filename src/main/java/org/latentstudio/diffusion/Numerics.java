package org.latentstudio.diffusion;

/**
 * The few numpy and torch primitives the schedulers are built from, reproduced to the last bit where the
 * result is kept in float32: diffusers computes schedules in float64 numpy and float32 torch, and which one
 * it uses where matters for matching it exactly.
 */
final class Numerics {
  private Numerics() {}

  // ---- numpy (float64) ----

  /** {@code np.linspace(start, stop, num)}: {@code i * step + start}, the last value exactly {@code stop}. */
  static double[] linspace(double start, double stop, int num) {
    double[] y = new double[num];
    int div = num - 1;
    if (div > 0) {
      double step = (stop - start) / div;
      for (int i = 0; i < num; i++) {
        y[i] = step == 0 ? i / (double) div * (stop - start) + start : i * step + start;
      }
      y[num - 1] = stop;
    } else if (num == 1) {
      y[0] = 0 * (stop - start) + start;
    }
    return y;
  }

  /**
   * {@code np.arange(start, stop, step)} with a float step: {@code ceil((stop - start) / step)} values,
   * {@code start + i * delta} where {@code delta = (start + step) - start}, as numpy's fill does.
   */
  static double[] arange(double start, double stop, double step) {
    double n = Math.ceil((stop - start) / step);
    int len = n > 0 ? (int) n : 0;
    double[] y = new double[len];
    if (len == 0) {
      return y;
    }
    y[0] = start;
    if (len > 1) {
      y[1] = start + step;
      double delta = y[1] - start;
      for (int i = 2; i < len; i++) {
        y[i] = start + i * delta;
      }
    }
    return y;
  }

  /** numpy's {@code round} (half to even). */
  static double round(double x) {
    return Math.rint(x);
  }

  /**
   * {@code np.interp(x, np.arange(len(fp)), fp)}: linear interpolation on the grid 0, 1, ..., with numpy's
   * {@code slope * (x - xp[j]) + fp[j]} and its clamping outside the grid.
   */
  static double interpOnIndexGrid(double x, float[] fp) {
    int last = fp.length - 1;
    if (Double.isNaN(x)) {
      return x;
    }
    if (x < 0) {
      return fp[0];
    }
    if (x >= last) {
      return fp[last];
    }
    int j = (int) Math.floor(x);
    if (j == x) {
      return fp[j];
    }
    double slope = ((double) fp[j + 1] - (double) fp[j]) / ((j + 1) - j);
    return slope * (x - j) + fp[j];
  }

  // ---- torch (float32) ----

  /**
   * {@code torch.linspace(start, end, steps, dtype=torch.float32)} as torch 1.13's CPU kernel computes it: the
   * first half counted from {@code start}, the second from {@code end}, in vectors of 8 whose first lane is
   * {@code start + step * idx} (fused) and whose other lanes add {@code j * step}; a scalar tail after the last
   * full block of 16.
   */
  static float[] torchLinspace(double startD, double endD, int steps) {
    float[] out = new float[steps];
    if (steps == 0) {
      return out;
    }
    float start = (float) startD;
    float end = (float) endD;
    if (steps == 1) {
      out[0] = start;
      return out;
    }
    float step = (end - start) / (float) (steps - 1);
    int halfway = steps / 2;
    int i = 0;
    for (; i + 16 <= steps; i += 16) {
      linspaceVector(out, i, start, end, step, steps, halfway);
      linspaceVector(out, i + 8, start, end, step, steps, halfway);
    }
    for (; i < steps; i++) {
      out[i] = i < halfway ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), end);
    }
    return out;
  }

  private static void linspaceVector(float[] out, int idx, float start, float end, float step, int steps,
      int halfway) {
    float base = idx < halfway ? Math.fma(step, (float) idx, start) : Math.fma(-step, (float) (steps - idx - 1), end);
    out[idx] = base;
    for (int j = 1; j < 8; j++) {
      out[idx + j] = base + (float) j * step;
    }
  }

  /** {@code torch.cumprod(x, 0)} for float32 on the CPU: the running product is kept in double. */
  static float[] torchCumprod(float[] x) {
    float[] out = new float[x.length];
    double acc = 1.0;
    for (int i = 0; i < x.length; i++) {
      acc *= x[i];
      out[i] = (float) acc;
    }
    return out;
  }

  /** Float32 square root, correctly rounded (as torch's {@code ** 0.5} and {@code sqrt}). */
  static float sqrt(float x) {
    return (float) Math.sqrt(x);
  }

  /** Float32 natural logarithm. */
  static float log(float x) {
    return (float) Math.log(x);
  }

  /** Float32 exponential. */
  static float exp(float x) {
    return (float) Math.exp(x);
  }
}
