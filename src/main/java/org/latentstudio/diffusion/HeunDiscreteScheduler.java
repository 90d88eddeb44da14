package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code HeunDiscreteScheduler} (v0.30.3, {@code schedulers/scheduling_heun_discrete.py}): Algorithm 2
 * of Karras et al. (2022), two model calls per step.
 *
 * <p>Call indices: {@code 2 * steps - 1}. The timesteps and sigmas are interleaved as diffusers does:
 * {@code [t0, t1, t1, t2, t2, ..., t(n-1), t(n-1)]}; even indices take an Euler step (and remember its
 * derivative), odd indices the correction back from the same start. The last call is an Euler step to sigma 0.
 * {@link #order()} is 2, so img2img skips {@code 2 * t_start} indices.
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.00085), beta_end (0.012),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (linspace), steps_offset
 * (0), clip_sample (false), clip_sample_range (1.0). Karras and exponential sigmas span the interpolated
 * extremes (diffusers' Heun has no sigma_min / sigma_max).
 *
 * <p>Draws no noise. x0 in the result is the prediction this call's model output gives.
 */
public final class HeunDiscreteScheduler extends DiscreteSigmaSampler {
  private final boolean clipSample;
  private final float clipRange;
  private float[] prevDerivative;
  private float dt;
  private float[] firstSample;

  public HeunDiscreteScheduler(SchedulerConfig cfg, SigmaSchedule sigmaSchedule) {
    super("heun", cfg, sigmaSchedule, 0.00085, 0.012, BetaSchedules.ZeroSnr.IGNORED);
    this.clipSample = cfg.bool("clip_sample", false);
    this.clipRange = (float) cfg.real("clip_sample_range", 1.0);
  }

  @Override
  protected void schedule(int steps) {
    Schedule s = sigmaFamilySchedule(steps, null, null);
    float[] base = Sigmas.withFinal(s.sigmas(), 0f);
    float[] t = s.timesteps();
    // sigmas: [s0, s1, s1, ..., s(n-1), s(n-1), 0]; timesteps: [t0, t1, t1, ..., t(n-1), t(n-1)]
    sigmas = new float[2 * base.length - 2];
    timesteps = new float[2 * t.length - 1];
    sigmas[0] = base[0];
    for (int i = 1; i < base.length - 1; i++) {
      sigmas[2 * i - 1] = base[i];
      sigmas[2 * i] = base[i];
    }
    sigmas[sigmas.length - 1] = base[base.length - 1];
    timesteps[0] = t[0];
    for (int i = 1; i < t.length; i++) {
      timesteps[2 * i - 1] = t[i];
      timesteps[2 * i] = t[i];
    }
    prevDerivative = null;
    firstSample = null;
  }

  @Override
  public int order() {
    return 2;
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    boolean firstOrder = prevDerivative == null;
    float sigma = firstOrder ? sigmas[index] : sigmas[index - 1];
    float sigmaNext = firstOrder ? sigmas[index + 1] : sigmas[index];
    float sigmaHat = sigma * (0f + 1f);
    float sigmaInput = firstOrder ? sigmaHat : sigmaNext;
    float[] x0 = predictOriginal(modelOutput, sample, sigmaInput);
    if (clipSample) {
      for (int i = 0; i < x0.length; i++) {
        x0[i] = Math.min(Math.max(x0[i], -clipRange), clipRange);
      }
    }
    float[] prev = new float[sample.length];
    if (firstOrder) {
      float[] derivative = new float[sample.length];
      float stepDt = sigmaNext - sigmaHat;
      for (int i = 0; i < prev.length; i++) {
        derivative[i] = (sample[i] - x0[i]) / sigmaHat;
        prev[i] = sample[i] + derivative[i] * stepDt;
      }
      prevDerivative = derivative;
      dt = stepDt;
      firstSample = sample.clone();
    } else {
      for (int i = 0; i < prev.length; i++) {
        float d = (sample[i] - x0[i]) / sigmaNext;
        d = (prevDerivative[i] + d) / 2f;
        prev[i] = firstSample[i] + d * dt;
      }
      prevDerivative = null;
      firstSample = null;
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }
}
