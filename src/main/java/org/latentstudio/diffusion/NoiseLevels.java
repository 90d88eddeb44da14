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

  private NoiseLevels(double[] alphasCumprod) {
    logSigmas = new float[alphasCumprod.length];
    for (int i = 0; i < alphasCumprod.length; i++) {
      double a = alphasCumprod[i];
      logSigmas[i] = (float) Math.log((float) Math.sqrt((1 - a) / a));
    }
  }

  /**
   * The model's training schedule, from its scheduler config (SD1.5's scaled_linear 0.00085–0.012 by default). Like
   * ComfyUI's make_beta_schedule, linear and scaled_linear betas are computed in float64; other schedules come from
   * the samplers' float32 tables.
   */
  public static NoiseLevels of(SchedulerConfig cfg) {
    String schedule = cfg.string("beta_schedule", "scaled_linear");
    int n = cfg.integer("num_train_timesteps", 1000);
    if (!cfg.has("trained_betas") && (schedule.equals("scaled_linear") || schedule.equals("linear"))) {
      double start = cfg.real("beta_start", 0.00085);
      double end = cfg.real("beta_end", 0.012);
      boolean scaled = schedule.equals("scaled_linear");
      double[] ac = new double[n];
      double prod = 1;
      for (int i = 0; i < n; i++) {
        double b = scaled ? Math.sqrt(start) + (Math.sqrt(end) - Math.sqrt(start)) * i / (n - 1)
            : start + (end - start) * i / (n - 1);
        prod *= 1 - (scaled ? b * b : b);
        ac[i] = prod;
      }
      return new NoiseLevels(ac);
    }
    float[] f = BetaSchedules.alphasCumprod(cfg, 0.00085, 0.012, BetaSchedules.ZeroSnr.IGNORED);
    double[] ac = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      ac[i] = f[i];
    }
    return new NoiseLevels(ac);
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
