package org.latentstudio.diffusion;

/**
 * Noise levels {@code sigma = sqrt((1 - alpha_bar) / alpha_bar)} and the sigma schedules built from them.
 * Each formula lives here once; the samplers only choose where sigma_min and sigma_max come from, as diffusers
 * does in each scheduler.
 */
public final class Sigmas {
  private Sigmas() {}

  /** The training sigmas, one per training timestep (ascending with t), in float32 as torch computes them. */
  public static float[] training(float[] alphasCumprod) {
    float[] s = new float[alphasCumprod.length];
    for (int i = 0; i < s.length; i++) {
      float a = alphasCumprod[i];
      s[i] = Numerics.sqrt((1f - a) / a);
    }
    return s;
  }

  /** {@code np.log(training sigmas)}, float32, for {@link #sigmaToT}. */
  public static float[] logs(float[] trainingSigmas) {
    float[] l = new float[trainingSigmas.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = Numerics.log(trainingSigmas[i]);
    }
    return l;
  }

  /** {@code np.interp(timesteps, arange(T), trainingSigmas)}, in float64. */
  public static double[] interpolate(float[] timesteps, float[] trainingSigmas) {
    double[] s = new double[timesteps.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Numerics.interpOnIndexGrid(timesteps[i], trainingSigmas);
    }
    return s;
  }

  /** {@link #interpolate} for whole timesteps. */
  public static double[] interpolate(int[] timesteps, float[] trainingSigmas) {
    double[] s = new double[timesteps.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Numerics.interpOnIndexGrid(timesteps[i], trainingSigmas);
    }
    return s;
  }

  /**
   * Karras et al. (2022), eq. 5 with rho = 7: {@code n} sigmas from {@code sigmaMax} down to {@code sigmaMin}
   * (diffusers' {@code _convert_to_karras}).
   */
  public static double[] karras(double sigmaMin, double sigmaMax, int n) {
    double rho = 7.0;
    double[] ramp = Numerics.linspace(0, 1, n);
    double minInvRho = Math.pow(sigmaMin, 1 / rho);
    double maxInvRho = Math.pow(sigmaMax, 1 / rho);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
    }
    return s;
  }

  /**
   * {@code n} sigmas evenly spaced in log sigma from {@code sigmaMax} down to {@code sigmaMin}:
   * {@code exp(linspace(log sigma_max, log sigma_min, n))}, k-diffusion's {@code get_sigmas_exponential}
   * (diffusers 0.30.3 has no such schedule; later versions' {@code _convert_to_exponential} is this formula).
   */
  public static double[] exponential(double sigmaMin, double sigmaMax, int n) {
    double[] l = Numerics.linspace(Math.log(sigmaMax), Math.log(sigmaMin), n);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.exp(l[i]);
    }
    return s;
  }

  /** {@link #karras} or {@link #exponential}; {@code NORMAL} is not a conversion. */
  static double[] convert(SigmaSchedule schedule, double sigmaMin, double sigmaMax, int n) {
    return switch (schedule) {
      case KARRAS -> karras(sigmaMin, sigmaMax, n);
      case EXPONENTIAL -> exponential(sigmaMin, sigmaMax, n);
      case NORMAL -> throw new IllegalArgumentException("NORMAL sigmas are interpolated, not converted");
    };
  }

  /**
   * The fractional training timestep whose sigma is {@code sigma}: linear interpolation in log sigma between
   * the neighbouring training steps, clamped to the training range (diffusers' {@code _sigma_to_t}).
   */
  public static double sigmaToT(double sigma, float[] logSigmas) {
    double logSigma = Math.log(Math.max(sigma, 1e-10));
    // index of the last training log sigma at or below log_sigma (numpy: cumsum(dists >= 0).argmax())
    int low = 0;
    for (int i = 0; i < logSigmas.length; i++) {
      if (logSigma - logSigmas[i] >= 0) {
        low = i;
      }
    }
    low = Math.min(low, logSigmas.length - 2);
    int high = low + 1;
    double lo = logSigmas[low];
    double hi = logSigmas[high];
    double w = (lo - logSigma) / (lo - hi);
    w = Math.min(Math.max(w, 0), 1);
    return (1 - w) * low + w * high;
  }

  /** {@code sigmas} in float32 followed by {@code last}: diffusers' {@code concatenate([sigmas, [last]])}. */
  public static float[] withFinal(double[] sigmas, float last) {
    float[] out = new float[sigmas.length + 1];
    for (int i = 0; i < sigmas.length; i++) {
      out[i] = (float) sigmas[i];
    }
    out[sigmas.length] = last;
    return out;
  }
}
