package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code DPMSolverMultistepScheduler} (v0.30.3, {@code schedulers/scheduling_dpmsolver_multistep.py})
 * with {@code algorithm_type="dpmsolver++"}: DPM-Solver++(2M) for {@code solver_order} 2, as
 * {@code sampler_name} dpmpp_2m configures it.
 *
 * <p>Timesteps are whole numbers (karras and exponential timesteps are rounded, as diffusers rounds karras
 * ones); the model input is not scaled and {@link #initNoiseSigma()} is 1. The first step is first order,
 * and so is the last one when {@code final_sigmas_type} is zero (the default) or {@code lower_order_final}
 * applies (fewer than 15 steps).
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (linspace), steps_offset
 * (0), rescale_betas_zero_snr (false), solver_order (2; 1 and 2 supported), solver_type (midpoint, or heun),
 * lower_order_final (true), euler_at_final (false), final_sigmas_type (zero, or sigma_min), lambda_min_clipped
 * (-inf). Rejected: thresholding, use_lu_lambdas, variance_type learned, algorithm types other than
 * dpmsolver++. Draws no noise. x0 in the result is the converted model output.
 */
public final class DPMSolverMultistepScheduler extends AbstractSampler {
  private final float[] alphasCumprod;
  private final float[] trainingSigmas;
  private final float[] logSigmas;
  private final int numTrain;
  private final int stepsOffset;
  private final TimestepSpacing spacing;
  private final SigmaSchedule sigmaSchedule;
  private final PredictionType prediction;
  private final int solverOrder;
  private final boolean heunSolver;
  private final boolean lowerOrderFinal;
  private final boolean eulerAtFinal;
  private final boolean finalSigmaZero;
  private final double lambdaMinClipped;

  private float[] sigmas;
  private float[][] modelOutputs;
  private int lowerOrderNums;

  public DPMSolverMultistepScheduler(SchedulerConfig cfg, SigmaSchedule sigmaSchedule) {
    String name = "dpmpp_2m";
    TrainingNoise noise = TrainingNoise.of(cfg, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE_AND_CLAMP_LAST);
    this.alphasCumprod = noise.alphasCumprod();
    this.trainingSigmas = noise.trainingSigmas();
    this.logSigmas = noise.logSigmas();
    this.numTrain = alphasCumprod.length;
    this.stepsOffset = cfg.integer("steps_offset", 0);
    this.spacing = TimestepSpacing.fromConfig(cfg.string("timestep_spacing", "linspace"));
    this.sigmaSchedule = sigmaSchedule;
    this.prediction = PredictionType.fromConfig(cfg.string("prediction_type", "epsilon"));
    this.solverOrder = cfg.integer("solver_order", 2);
    if (solverOrder != 1 && solverOrder != 2) {
      throw new IllegalArgumentException(name + ": solver_order " + solverOrder + " is not supported; supported: 1, 2");
    }
    ConfigChecks.oneOf(cfg, "algorithm_type", "dpmsolver++", name, "dpmsolver++");
    // diffusers maps logrho, bh1 and bh2 (UniPC/DEIS names) to midpoint
    String solverType = ConfigChecks.oneOf(cfg, "solver_type", "midpoint", name, "midpoint", "heun", "logrho", "bh1",
        "bh2");
    this.heunSolver = solverType.equals("heun");
    this.lowerOrderFinal = cfg.bool("lower_order_final", true);
    this.eulerAtFinal = cfg.bool("euler_at_final", false);
    this.finalSigmaZero = ConfigChecks.oneOf(cfg, "final_sigmas_type", "zero", name, "zero", "sigma_min")
        .equals("zero");
    this.lambdaMinClipped = cfg.real("lambda_min_clipped", Double.NEGATIVE_INFINITY);
    ConfigChecks.rejectTrue(cfg, "thresholding", name, "dynamic thresholding is for pixel-space models");
    ConfigChecks.rejectTrue(cfg, "use_lu_lambdas", name, "not implemented");
    String varianceType = cfg.string("variance_type", "none");
    if (varianceType.equals("learned") || varianceType.equals("learned_range")) {
      throw new IllegalArgumentException(name + ": variance_type " + varianceType + " is not supported");
    }
  }

  @Override
  protected void schedule(int steps) {
    int lastTimestep = numTrain - clippedIndex();
    int[] t = Timesteps.dpmSolver(spacing, steps, numTrain, lastTimestep, stepsOffset);
    double[] s;
    if (sigmaSchedule == SigmaSchedule.NORMAL) {
      s = Sigmas.interpolate(t, trainingSigmas);
    } else {
      // from the training extremes (diffusers flips the training sigmas first)
      s = Sigmas.convert(sigmaSchedule, trainingSigmas[0], trainingSigmas[numTrain - 1], steps);
      t = new int[s.length];
      for (int i = 0; i < s.length; i++) {
        t[i] = (int) Numerics.round(Sigmas.sigmaToT(s[i], logSigmas));
      }
    }
    sigmas = Sigmas.withFinal(s, finalSigmaZero ? 0f : trainingSigmas[0]);
    timesteps = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      timesteps[i] = t[i];
    }
    modelOutputs = new float[solverOrder][];
    lowerOrderNums = 0;
  }

  /** {@code searchsorted(flip(lambda_t), lambda_min_clipped)}: 0 unless the config clips lambda. */
  private int clippedIndex() {
    if (lambdaMinClipped == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    float[] flipped = new float[numTrain];
    for (int i = 0; i < numTrain; i++) {
      float a = alphasCumprod[numTrain - 1 - i];
      flipped[i] = Numerics.log(Numerics.sqrt(a)) - Numerics.log(Numerics.sqrt(1f - a));
    }
    float v = (float) lambdaMinClipped;
    int idx = 0;
    while (idx < numTrain && flipped[idx] < v) {
      idx++;
    }
    return idx;
  }

  @Override
  public float[] sigmas() {
    requireTimesteps();
    return sigmas.clone();
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
    float sigma = sigmas[index];
    float alphaT = alphaT(sigma);
    return scaledSum(original, alphaT, noise, sigma * alphaT);
  }

  /** {@code _sigma_to_alpha_sigma_t}: alpha_t = 1 / sqrt(sigma^2 + 1); sigma_t = sigma * alpha_t. */
  private static float alphaT(float sigma) {
    return 1f / Numerics.sqrt(sigma * sigma + 1f);
  }

  private static float lambda(float alpha, float sigma) {
    return Numerics.log(alpha) - Numerics.log(sigma);
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    int n = timesteps.length;
    // diffusers' lower_order_final; its lower_order_second only matters for solver_order 3
    boolean lastLowerOrder = index == n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmaZero);

    float[] x0 = convertModelOutput(modelOutput, sample, sigmas[index]);
    for (int i = 0; i < solverOrder - 1; i++) {
      modelOutputs[i] = modelOutputs[i + 1];
    }
    modelOutputs[solverOrder - 1] = x0;

    float[] prev;
    if (solverOrder == 1 || lowerOrderNums < 1 || lastLowerOrder) {
      prev = firstOrderUpdate(x0, index, sample);
    } else {
      prev = secondOrderUpdate(index, sample);
    }
    if (lowerOrderNums < solverOrder) {
      lowerOrderNums++;
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }

  /** {@code convert_model_output} for dpmsolver++: the data prediction x0. */
  private float[] convertModelOutput(float[] modelOutput, float[] sample, float sigma) {
    float alphaT = alphaT(sigma);
    return prediction.originalFromVp(modelOutput, sample, alphaT, sigma * alphaT);
  }

  private float[] firstOrderUpdate(float[] x0, int index, float[] sample) {
    float sT = sigmas[index + 1];
    float sS = sigmas[index];
    float alphaT = alphaT(sT);
    float sigmaT = sT * alphaT;
    float alphaS = alphaT(sS);
    float sigmaS = sS * alphaS;
    float h = lambda(alphaT, sigmaT) - lambda(alphaS, sigmaS);
    float a = sigmaT / sigmaS;
    float b = alphaT * (Numerics.exp(-h) - 1f);
    float[] out = new float[sample.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a * sample[i] - b * x0[i];
    }
    return out;
  }

  private float[] secondOrderUpdate(int index, float[] sample) {
    float sT = sigmas[index + 1];
    float s0 = sigmas[index];
    float s1 = sigmas[index - 1];
    float alphaT = alphaT(sT);
    float sigmaT = sT * alphaT;
    float alphaS0 = alphaT(s0);
    float sigmaS0 = s0 * alphaS0;
    float alphaS1 = alphaT(s1);
    float sigmaS1 = s1 * alphaS1;
    float lambdaT = lambda(alphaT, sigmaT);
    float lambdaS0 = lambda(alphaS0, sigmaS0);
    float lambdaS1 = lambda(alphaS1, sigmaS1);
    float[] m0 = modelOutputs[solverOrder - 1];
    float[] m1 = modelOutputs[solverOrder - 2];
    float h = lambdaT - lambdaS0;
    float h0 = lambdaS0 - lambdaS1;
    float r0 = h0 / h;
    float invR0 = 1f / r0;
    float a = sigmaT / sigmaS0;
    float expm1 = Numerics.exp(-h) - 1f;
    float b = alphaT * expm1;
    float c = heunSolver ? alphaT * (expm1 / h + 1f) : 0.5f * (alphaT * expm1);
    float[] out = new float[sample.length];
    for (int i = 0; i < out.length; i++) {
      float d1 = invR0 * (m0[i] - m1[i]);
      float x = a * sample[i] - b * m0[i];
      out[i] = heunSolver ? x + c * d1 : x - c * d1;
    }
    return out;
  }
}
