package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code EulerAncestralDiscreteScheduler} (v0.30.3,
 * {@code schedulers/scheduling_euler_ancestral_discrete.py}): an Euler step down to {@code sigma_down}, then
 * fresh noise up to the next sigma.
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (linspace), steps_offset
 * (0), rescale_betas_zero_snr (false).
 *
 * <p>Beyond diffusers 0.30.3, which has neither: karras and exponential schedules (built as
 * {@link EulerDiscreteScheduler} builds them) and {@code sample} prediction (x0 is the model output).
 *
 * <p>Noise: one {@code randn(model_output.shape)} per step, after the Euler step; required.
 */
public final class EulerAncestralDiscreteScheduler extends DiscreteSigmaSampler {
  public EulerAncestralDiscreteScheduler(SchedulerConfig cfg, SigmaSchedule sigmaSchedule) {
    super("euler_ancestral", cfg, sigmaSchedule, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE_AND_CLAMP_LAST);
  }

  @Override
  protected void schedule(int steps) {
    Schedule s = sigmaFamilySchedule(steps, null, null);
    sigmas = Sigmas.withFinal(s.sigmas(), 0f);
    timesteps = s.timesteps();
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    requireNoise(noise, "euler_ancestral");
    float sigma = sigmas[index];
    float[] x0 = predictOriginal(modelOutput, sample, sigma);
    float sigmaFrom = sigma;
    float sigmaTo = sigmas[index + 1];
    float from2 = sigmaFrom * sigmaFrom;
    float to2 = sigmaTo * sigmaTo;
    float sigmaUp = Numerics.sqrt(to2 * (from2 - to2) / from2);
    float sigmaDown = Numerics.sqrt(to2 - sigmaUp * sigmaUp);
    float dt = sigmaDown - sigma;
    float[] prev = new float[sample.length];
    for (int i = 0; i < prev.length; i++) {
      float derivative = (sample[i] - x0[i]) / sigma;
      prev[i] = sample[i] + derivative * dt;
    }
    float[] n = noise.randn(shape).data();
    for (int i = 0; i < prev.length; i++) {
      prev[i] = prev[i] + n[i] * sigmaUp;
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }
}
