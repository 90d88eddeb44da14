package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code DDIMScheduler} (v0.30.3, {@code schedulers/scheduling_ddim.py}), eq. 12 of Song et al.
 * (2020) with {@code eta} as the pipelines pass it ({@code eta} = 0 is deterministic DDIM).
 *
 * <p>As in diffusers the previous timestep is {@code t - num_train_timesteps // steps} whatever the spacing
 * (with trailing or linspace spacing it is not the next entry of {@link #timesteps()}), and alphas_cumprod
 * before timestep 0 is {@code final_alpha_cumprod}.
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (leading), steps_offset
 * (0), clip_sample (true), clip_sample_range (1.0), set_alpha_to_one (true), rescale_betas_zero_snr (false).
 * Rejected: thresholding.
 *
 * <p>Noise: with {@code eta > 0} one {@code randn(model_output.shape)} per step; none with eta = 0.
 */
public final class DDIMScheduler extends DiscreteAlphaSampler {
  private final float eta;
  private final boolean clipSample;
  private final float clipRange;
  private final float finalAlphaCumprod;

  public DDIMScheduler(SchedulerConfig cfg, float eta) {
    super("ddim", cfg, BetaSchedules.ZeroSnr.RESCALE);
    if (!(eta >= 0)) {
      throw new IllegalArgumentException("ddim: eta must be 0 or more, got " + eta);
    }
    this.eta = eta;
    this.clipSample = cfg.bool("clip_sample", true);
    this.clipRange = (float) cfg.real("clip_sample_range", 1.0);
    this.finalAlphaCumprod = cfg.bool("set_alpha_to_one", true) ? 1f : alphasCumprod[0];
    ConfigChecks.rejectTrue(cfg, "thresholding", name, "dynamic thresholding is for pixel-space models");
  }

  public float eta() {
    return eta;
  }

  @Override
  protected void schedule(int steps) {
    timesteps = toFloat(Timesteps.integer(spacing, steps, numTrain, stepsOffset));
    stepRatio = numTrain / steps;
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    if (eta > 0) {
      requireNoise(noise, "ddim with eta > 0");
    }
    int t = t(index);
    int prevT = t - stepRatio;
    float alphaProdT = alphaAt(t);
    float alphaProdTPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
    float betaProdT = 1f - alphaProdT;
    float sqrtA = Numerics.sqrt(alphaProdT);
    float sqrtB = Numerics.sqrt(betaProdT);
    int n = sample.length;
    float[] x0 = prediction.originalFromVp(modelOutput, sample, sqrtA, sqrtB);
    float[] eps = modelOutput;
    if (prediction == PredictionType.SAMPLE) {
      eps = new float[n];
      for (int i = 0; i < n; i++) {
        eps[i] = (sample[i] - sqrtA * x0[i]) / sqrtB;
      }
    } else if (prediction == PredictionType.V_PREDICTION) {
      eps = new float[n];
      for (int i = 0; i < n; i++) {
        eps[i] = sqrtA * modelOutput[i] + sqrtB * sample[i];
      }
    }
    if (clipSample) {
      for (int i = 0; i < n; i++) {
        x0[i] = Math.min(Math.max(x0[i], -clipRange), clipRange);
      }
    }
    float betaProdTPrev = 1f - alphaProdTPrev;
    float variance = betaProdTPrev / betaProdT * (1f - alphaProdT / alphaProdTPrev);
    float stdDevT = eta * Numerics.sqrt(variance);
    float dirCoeff = Numerics.sqrt(1f - alphaProdTPrev - stdDevT * stdDevT);
    float sqrtAPrev = Numerics.sqrt(alphaProdTPrev);
    float[] prev = new float[n];
    for (int i = 0; i < n; i++) {
      prev[i] = sqrtAPrev * x0[i] + dirCoeff * eps[i];
    }
    if (eta > 0) {
      float[] z = noise.randn(shape).data();
      for (int i = 0; i < n; i++) {
        prev[i] = prev[i] + stdDevT * z[i];
      }
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }
}
