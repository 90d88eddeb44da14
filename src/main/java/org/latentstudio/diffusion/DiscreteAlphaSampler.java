package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * DDIM, DDPM and PNDM: whole timesteps, {@code alphas_cumprod} indexed by timestep value, unscaled model input,
 * img2img noise added as {@code sqrt(a) x0 + sqrt(1 - a) noise}. These have no sigma schedule, so karras and
 * exponential are rejected by {@link Samplers}.
 */
abstract class DiscreteAlphaSampler extends AbstractSampler {
  protected final String name;
  protected final float[] alphasCumprod;
  protected final int numTrain;
  protected final int stepsOffset;
  protected final TimestepSpacing spacing;
  protected final PredictionType prediction;
  /** {@code num_train_timesteps // num_inference_steps}, the step diffusers subtracts to find the previous t. */
  protected int stepRatio;

  DiscreteAlphaSampler(String name, SchedulerConfig cfg, BetaSchedules.ZeroSnr zeroSnr) {
    this.name = name;
    this.alphasCumprod = TrainingNoise.of(cfg, 0.0001, 0.02, zeroSnr).alphasCumprod();
    this.numTrain = alphasCumprod.length;
    this.stepsOffset = cfg.integer("steps_offset", 0);
    this.spacing = TimestepSpacing.fromConfig(cfg.string("timestep_spacing", "leading"));
    this.prediction = PredictionType.fromConfig(cfg.string("prediction_type", "epsilon"));
  }

  @Override
  public float initNoiseSigma() {
    return 1f;
  }

  @Override
  public Tensor scaleModelInput(Tensor sample, int index) {
    checkIndex(index);
    return sample;
  }

  @Override
  public Tensor addNoise(Tensor original, Tensor noise, int index) {
    checkIndex(index);
    float a = alphaAt(t(index));
    return scaledSum(original, Numerics.sqrt(a), noise, Numerics.sqrt(1f - a));
  }

  /**
   * {@code alphas_cumprod[t]} with Python's indexing: numpy's {@code arange} gives some trailing schedules
   * (61, 103, 121, ... steps of 1000) one entry too many, ending at t = -1, which diffusers reads as the last
   * training step. Reproduced, not repaired.
   */
  protected final float alphaAt(int t) {
    return alphasCumprod[t < 0 ? t + numTrain : t];
  }

  /** The timestep value at call {@code index}. */
  protected final int t(int index) {
    return (int) timesteps[index];
  }

  protected static float[] toFloat(int[] t) {
    float[] f = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      f[i] = t[i];
    }
    return f;
  }

  @Override
  public String toString() {
    return name + "[" + spacing.configName() + ", " + prediction.configName() + "]";
  }
}
