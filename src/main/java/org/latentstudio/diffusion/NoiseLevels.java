package org.latentstudio.diffusion;

/**
 * ComfyUI's {@code ModelSamplingDiscrete} for the parts add-ons use: the noise level σ of a (possibly fractional)
 * training timestep, interpolated in log σ, and {@code percent_to_sigma}, which turns a ControlNet's or an
 * IP-Adapter's start and end percent into noise levels: p → σ at timestep (1 − p)·999, with 0 % meaning "from the
 * noisiest step" and 100 % "to the end". An add-on is active while {@code σ_end ≤ σ ≤ σ_start}, whatever the
 * sampler and step count.
 */
public final class NoiseLevels {
  /** percent_to_sigma(0): above any real noise level. */
  public static final double ALWAYS = 999999999.9;

  private final float[] logSigmas;

  private NoiseLevels(float[] alphasCumprod) {
    logSigmas = new float[alphasCumprod.length];
    for (int i = 0; i < alphasCumprod.length; i++) {
      double a = alphasCumprod[i];
      logSigmas[i] = (float) Math.log((float) Math.sqrt((1 - a) / a));
    }
  }

  /** The model's training schedule, from its scheduler config (SD1.5's scaled_linear 0.00085–0.012 by default). */
  public static NoiseLevels of(SchedulerConfig cfg) {
    SchedulerConfig c = cfg.has("beta_schedule") ? cfg : cfg.with("beta_schedule", "scaled_linear");
    return new NoiseLevels(BetaSchedules.alphasCumprod(c, 0.00085, 0.012, BetaSchedules.ZeroSnr.IGNORED));
  }

  /** σ at {@code timestep}, clamped to the schedule, log-linear between whole timesteps. */
  public double sigma(double timestep) {
    float t = (float) Math.min(Math.max(timestep, 0), logSigmas.length - 1);
    int low = (int) Math.floor(t);
    int high = (int) Math.ceil(t);
    float w = t - low;
    return Math.exp((1 - w) * logSigmas[low] + w * logSigmas[high]);
  }

  public double percentToSigma(double percent) {
    if (percent <= 0.0) {
      return ALWAYS;
    }
    if (percent >= 1.0) {
      return 0.0;
    }
    return (float) sigma((float) ((1.0 - percent) * 999.0));
  }

  /** Whether a window from {@code startPercent} to {@code endPercent} covers a UNet call at {@code timestep}. */
  public boolean active(double startPercent, double endPercent, double timestep) {
    double s = (float) sigma(timestep);
    return s <= percentToSigma(startPercent) && s >= percentToSigma(endPercent);
  }
}
