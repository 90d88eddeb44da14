package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code EulerDiscreteScheduler} (v0.30.3, {@code schedulers/scheduling_euler_discrete.py}):
 * Algorithm 2 of Karras et al. (2022) with {@code s_churn = 0}, as the Stable Diffusion pipelines call it.
 *
 * <p>Config keys read, with this scheduler's defaults: num_train_timesteps (1000), beta_start (0.0001),
 * beta_end (0.02), beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing
 * (linspace), steps_offset (0), rescale_betas_zero_snr (false), sigma_min and sigma_max (the interpolated
 * extremes; karras and exponential only), final_sigmas_type (zero), timestep_type (discrete; continuous
 * with v_prediction feeds {@code 0.25 log sigma} as the timestep), interpolation_type (linear only).
 *
 * <p>Noise: like diffusers, every step draws {@code randn(model_output.shape)} even though churn 0 never uses
 * it; with a null {@link NoiseSource} the draw is skipped (it cannot change this sampler's result).
 */
public final class EulerDiscreteScheduler extends DiscreteSigmaSampler {
  private final Double sigmaMin;
  private final Double sigmaMax;
  private final boolean finalSigmaMin;
  private final boolean continuousTimesteps;

  public EulerDiscreteScheduler(SchedulerConfig cfg, SigmaSchedule sigmaSchedule) {
    super("euler", cfg, sigmaSchedule, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE_AND_CLAMP_LAST);
    ConfigChecks.oneOf(cfg, "interpolation_type", "linear", "euler", "linear");
    this.finalSigmaMin = ConfigChecks.oneOf(cfg, "final_sigmas_type", "zero", "euler", "zero", "sigma_min")
        .equals("sigma_min");
    String timestepType = ConfigChecks.oneOf(cfg, "timestep_type", "discrete", "euler", "discrete", "continuous");
    this.continuousTimesteps = timestepType.equals("continuous") && prediction == PredictionType.V_PREDICTION;
    this.sigmaMin = cfg.optionalReal("sigma_min").orElse(null);
    this.sigmaMax = cfg.optionalReal("sigma_max").orElse(null);
  }

  @Override
  protected void schedule(int steps) {
    Schedule s = sigmaFamilySchedule(steps, sigmaMin, sigmaMax);
    float last = finalSigmaMin ? trainingSigmas[0] : 0f;
    sigmas = Sigmas.withFinal(s.sigmas(), last);
    if (continuousTimesteps) {
      float[] t = new float[sigmas.length - 1];
      for (int i = 0; i < t.length; i++) {
        t[i] = 0.25f * Numerics.log(sigmas[i]);
      }
      timesteps = t;
    } else {
      timesteps = s.timesteps();
    }
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    float sigma = sigmas[index];
    if (noise != null) {
      noise.randn(shape); // s_churn = 0: drawn, never used (gamma = 0)
    }
    float sigmaHat = sigma * (0f + 1f); // gamma = 0, so sigma_hat == sigma (diffusers uses either, by prediction type)
    float[] x0 = predictOriginal(modelOutput, sample, sigmaHat);
    float dt = sigmas[index + 1] - sigmaHat;
    float[] prev = new float[sample.length];
    for (int i = 0; i < prev.length; i++) {
      float derivative = (sample[i] - x0[i]) / sigmaHat;
      prev[i] = sample[i] + derivative * dt;
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }
}
