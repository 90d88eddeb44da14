package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code DDPMScheduler} (v0.30.3, {@code schedulers/scheduling_ddpm.py}): ancestral sampling from the
 * posterior q(x_(t-1) | x_t, x0), eq. 6 and 7 of Ho et al. (2020).
 *
 * <p>The previous timestep is {@code t - num_train_timesteps // steps}, as in diffusers.
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (leading), steps_offset
 * (0), clip_sample (true), clip_sample_range (1.0), variance_type (fixed_small; also fixed_small_log and
 * fixed_large), rescale_betas_zero_snr (false). Rejected: thresholding, learned variances.
 *
 * <p>Noise: one {@code randn(model_output.shape)} per step whose timestep is above 0 (so none at the last step
 * of a linspace schedule, which ends at t = 0).
 */
public final class DDPMScheduler extends DiscreteAlphaSampler {
  private enum Variance { FIXED_SMALL, FIXED_SMALL_LOG, FIXED_LARGE }

  private final boolean clipSample;
  private final float clipRange;
  private final Variance varianceType;

  public DDPMScheduler(SchedulerConfig cfg) {
    super("ddpm", cfg, BetaSchedules.ZeroSnr.RESCALE);
    this.clipSample = cfg.bool("clip_sample", true);
    this.clipRange = (float) cfg.real("clip_sample_range", 1.0);
    String v = ConfigChecks.oneOf(cfg, "variance_type", "fixed_small", name, "fixed_small", "fixed_small_log",
        "fixed_large");
    this.varianceType = switch (v) {
      case "fixed_small_log" -> Variance.FIXED_SMALL_LOG;
      case "fixed_large" -> Variance.FIXED_LARGE;
      default -> Variance.FIXED_SMALL;
    };
    ConfigChecks.rejectTrue(cfg, "thresholding", name, "dynamic thresholding is for pixel-space models");
  }

  @Override
  protected void schedule(int steps) {
    if (steps > numTrain) {
      throw new IllegalArgumentException("ddpm: steps (" + steps + ") cannot exceed num_train_timesteps (" + numTrain
          + ")");
    }
    timesteps = toFloat(Timesteps.integer(spacing, steps, numTrain, stepsOffset));
    stepRatio = numTrain / steps;
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    int t = t(index);
    int prevT = t - stepRatio;
    float alphaProdT = alphaAt(t);
    float alphaProdTPrev = prevT >= 0 ? alphasCumprod[prevT] : 1f;
    float betaProdT = 1f - alphaProdT;
    float betaProdTPrev = 1f - alphaProdTPrev;
    float currentAlphaT = alphaProdT / alphaProdTPrev;
    float currentBetaT = 1f - currentAlphaT;
    float sqrtA = Numerics.sqrt(alphaProdT);
    float sqrtB = Numerics.sqrt(betaProdT);
    int n = sample.length;
    float[] x0 = prediction.originalFromVp(modelOutput, sample, sqrtA, sqrtB);
    if (clipSample) {
      for (int i = 0; i < n; i++) {
        x0[i] = Math.min(Math.max(x0[i], -clipRange), clipRange);
      }
    }
    float x0Coeff = Numerics.sqrt(alphaProdTPrev) * currentBetaT / betaProdT;
    float sampleCoeff = Numerics.sqrt(currentAlphaT) * betaProdTPrev / betaProdT;
    float[] prev = new float[n];
    for (int i = 0; i < n; i++) {
      prev[i] = x0Coeff * x0[i] + sampleCoeff * sample[i];
    }
    if (t > 0) {
      requireNoise(noise, "ddpm");
      float[] z = noise.randn(shape).data();
      float scale = noiseScale(alphaProdT, alphaProdTPrev, currentBetaT);
      for (int i = 0; i < n; i++) {
        prev[i] = prev[i] + scale * z[i];
      }
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }

  /** The factor on the noise: {@code _get_variance(t) ** 0.5} (or its log-space and large variants). */
  private float noiseScale(float alphaProdT, float alphaProdTPrev, float currentBetaT) {
    float variance = (1f - alphaProdTPrev) / (1f - alphaProdT) * currentBetaT;
    variance = Math.max(variance, 1e-20f);
    return switch (varianceType) {
      case FIXED_SMALL -> Numerics.sqrt(variance);
      case FIXED_SMALL_LOG -> Numerics.exp(0.5f * Numerics.log(variance));
      case FIXED_LARGE -> Numerics.sqrt(currentBetaT);
    };
  }
}
