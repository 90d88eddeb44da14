package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * The Euler family (Euler, Euler ancestral, Heun, LMS): sigma schedules from interpolated training sigmas,
 * model input scaled by {@code 1 / sqrt(sigma^2 + 1)}, img2img noise added as {@code x0 + sigma * noise}.
 */
abstract class DiscreteSigmaSampler extends AbstractSampler {
  protected final String name;
  protected final float[] alphasCumprod;
  protected final float[] trainingSigmas;
  protected final float[] logSigmas;
  protected final int numTrain;
  protected final int stepsOffset;
  protected final TimestepSpacing spacing;
  protected final SigmaSchedule sigmaSchedule;
  protected final PredictionType prediction;
  /** One per call index, then the final sigma. */
  protected float[] sigmas;

  DiscreteSigmaSampler(String name, SchedulerConfig cfg, SigmaSchedule sigmaSchedule, double defaultBetaStart,
      double defaultBetaEnd, BetaSchedules.ZeroSnr zeroSnr) {
    this.name = name;
    TrainingNoise noise = TrainingNoise.of(cfg, defaultBetaStart, defaultBetaEnd, zeroSnr);
    this.alphasCumprod = noise.alphasCumprod();
    this.trainingSigmas = noise.trainingSigmas();
    this.logSigmas = noise.logSigmas();
    this.numTrain = alphasCumprod.length;
    this.stepsOffset = cfg.integer("steps_offset", 0);
    this.spacing = TimestepSpacing.fromConfig(cfg.string("timestep_spacing", "linspace"));
    this.sigmaSchedule = sigmaSchedule;
    this.prediction = PredictionType.fromConfig(cfg.string("prediction_type", "epsilon"));
  }

  /**
   * The Euler-family {@code set_timesteps}: spaced timesteps, training sigmas interpolated there, then (karras,
   * exponential) new sigmas between the interpolated extremes (or the config's sigma_min / sigma_max where the
   * scheduler reads them) with timesteps mapped back through {@link Sigmas#sigmaToT}.
   *
   * @return the timesteps (float32) and the sigmas (float64, without the final one)
   */
  protected final Schedule sigmaFamilySchedule(int steps, Double sigmaMinCfg, Double sigmaMaxCfg) {
    float[] t = Timesteps.sigmaFamily(spacing, steps, numTrain, stepsOffset);
    double[] s = Sigmas.interpolate(t, trainingSigmas);
    if (sigmaSchedule != SigmaSchedule.NORMAL) {
      double min = sigmaMinCfg != null ? sigmaMinCfg : s[s.length - 1];
      double max = sigmaMaxCfg != null ? sigmaMaxCfg : s[0];
      s = Sigmas.convert(sigmaSchedule, min, max, steps);
      t = new float[s.length];
      for (int i = 0; i < s.length; i++) {
        t[i] = (float) Sigmas.sigmaToT(s[i], logSigmas);
      }
    }
    return new Schedule(t, s);
  }

  /** What {@link #sigmaFamilySchedule} computes. */
  protected record Schedule(float[] timesteps, double[] sigmas) {}

  @Override
  public float[] sigmas() {
    requireTimesteps();
    return sigmas.clone();
  }

  @Override
  public float initNoiseSigma() {
    requireTimesteps();
    float max = sigmas[0];
    for (float s : sigmas) {
      max = Math.max(max, s);
    }
    if (spacing == TimestepSpacing.LINSPACE || spacing == TimestepSpacing.TRAILING) {
      return max;
    }
    return Numerics.sqrt(max * max + 1f);
  }

  @Override
  public Tensor scaleModelInput(Tensor sample, int index) {
    checkIndex(index);
    float sigma = sigmas[index];
    float scale = Numerics.sqrt(sigma * sigma + 1f);
    float[] x = sample.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] / scale;
    }
    return Tensor.of(out, sample.shape());
  }

  @Override
  public Tensor addNoise(Tensor original, Tensor noise, int index) {
    checkIndex(index);
    return scaledSum(original, 1f, noise, sigmas[index]);
  }

  /** x0 from the model output at noise level {@code sigma} ({@link PredictionType#originalFromVe}). */
  protected final float[] predictOriginal(float[] modelOutput, float[] sample, float sigma) {
    return prediction.originalFromVe(modelOutput, sample, sigma);
  }

  @Override
  public String toString() {
    return name + "[" + spacing.configName() + ", " + sigmaSchedule + ", " + prediction.configName() + "]";
  }
}
