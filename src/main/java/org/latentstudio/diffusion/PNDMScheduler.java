package org.latentstudio.diffusion;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code PNDMScheduler} (v0.30.3, {@code schedulers/scheduling_pndm.py}): pseudo numerical methods
 * (Liu et al. 2022). With {@code skip_prk_steps} (SD1.5's config) it is PLMS: {@code steps + 1} call indices
 * whose timesteps repeat the second one ({@code [t0, t1, t1, t2, ...]}); the first two calls make a
 * second-order start, then Adams–Bashforth of growing order up to 4. Without it, 12 Runge–Kutta calls on the
 * top four timesteps come first.
 *
 * <p>Like diffusers this sampler counts its own steps since {@code setTimesteps} and works from the timestep
 * values; {@link #order()} is 1, so img2img starts at call index {@code t_start}.
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (leading), steps_offset
 * (0), skip_prk_steps (false), set_alpha_to_one (false).
 *
 * <p>Beyond diffusers 0.30.3 (which raises): {@code sample} prediction, converted to the noise it implies where
 * diffusers converts v-prediction. x0 in the result is what the current model output alone implies (diffusers
 * returns none). Draws no noise.
 */
public final class PNDMScheduler extends DiscreteAlphaSampler {
  private static final int PNDM_ORDER = 4;
  private final boolean skipPrkSteps;
  private final float finalAlphaCumprod;

  private int[] prkTimesteps;
  private int counter;
  private final List<float[]> ets = new ArrayList<>();
  private float[] curModelOutput;
  private float[] curSample;

  public PNDMScheduler(SchedulerConfig cfg) {
    super("pndm", cfg, BetaSchedules.ZeroSnr.IGNORED);
    this.skipPrkSteps = cfg.bool("skip_prk_steps", false);
    this.finalAlphaCumprod = cfg.bool("set_alpha_to_one", false) ? 1f : alphasCumprod[0];
  }

  @Override
  protected void schedule(int steps) {
    int[] desc = Timesteps.integer(spacing, steps, numTrain, stepsOffset);
    int n = desc.length;
    int[] asc = new int[n];
    for (int i = 0; i < n; i++) {
      asc[i] = desc[n - 1 - i];
    }
    stepRatio = numTrain / steps;
    int[] all;
    if (skipPrkSteps) {
      // concatenate([ts[:-1], ts[-2:-1], ts[-1:]])[::-1]
      prkTimesteps = new int[0];
      int[] plms = new int[n + 1];
      System.arraycopy(asc, 0, plms, 0, n - 1);
      plms[n - 1] = n >= 2 ? asc[n - 2] : asc[0];
      plms[n] = asc[n - 1];
      if (n < 2) {
        plms = new int[] {asc[0]}; // ts[-2:-1] is empty for one step
      }
      all = reverse(plms);
    } else {
      if (n < PNDM_ORDER) {
        throw new IllegalArgumentException("pndm without skip_prk_steps needs at least " + PNDM_ORDER + " steps");
      }
      // (ts[-4:].repeat(2) + tile([0, ratio // 2], 4))[:-1].repeat(2)[1:-1][::-1]
      int half = stepRatio / 2;
      int[] prk = new int[2 * PNDM_ORDER];
      for (int i = 0; i < PNDM_ORDER; i++) {
        prk[2 * i] = asc[n - PNDM_ORDER + i];
        prk[2 * i + 1] = asc[n - PNDM_ORDER + i] + half;
      }
      int[] rep = new int[2 * (prk.length - 1)];
      for (int i = 0; i < prk.length - 1; i++) {
        rep[2 * i] = prk[i];
        rep[2 * i + 1] = prk[i];
      }
      int[] mid = new int[rep.length - 2];
      System.arraycopy(rep, 1, mid, 0, mid.length);
      prkTimesteps = reverse(mid);
      int[] plms = new int[n - 3];
      for (int i = 0; i < plms.length; i++) {
        plms[i] = asc[n - 4 - i];
      }
      all = new int[prkTimesteps.length + plms.length];
      System.arraycopy(prkTimesteps, 0, all, 0, prkTimesteps.length);
      System.arraycopy(plms, 0, all, prkTimesteps.length, plms.length);
    }
    timesteps = toFloat(all);
    counter = 0;
    ets.clear();
    curModelOutput = null;
    curSample = null;
  }

  private static int[] reverse(int[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[a.length - 1 - i];
    }
    return r;
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    int t = t(index);
    float[] x0 = previewX0(modelOutput, sample, t);
    float[] prev = counter < prkTimesteps.length && !skipPrkSteps
        ? stepPrk(modelOutput, t, sample)
        : stepPlms(modelOutput, t, sample);
    counter++;
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }

  private float[] stepPrk(float[] modelOutput, int timestep, float[] sample) {
    int diffToPrev = counter % 2 != 0 ? 0 : stepRatio / 2;
    int prevTimestep = timestep - diffToPrev;
    int t = prkTimesteps[counter / 4 * 4];
    float[] mo = modelOutput;
    switch (counter % 4) {
      case 0 -> {
        curModelOutput = accumulate(curModelOutput, (float) (1.0 / 6), modelOutput);
        ets.add(modelOutput);
        curSample = sample;
      }
      case 1, 2 -> curModelOutput = accumulate(curModelOutput, (float) (1.0 / 3), modelOutput);
      default -> {
        mo = accumulate(curModelOutput, (float) (1.0 / 6), modelOutput);
        curModelOutput = null;
      }
    }
    float[] from = curSample != null ? curSample : sample;
    return prevSample(from, t, prevTimestep, mo);
  }

  /** {@code cur + c * x}, where a null {@code cur} is diffusers' integer 0. */
  private static float[] accumulate(float[] cur, float c, float[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      float cx = c * x[i];
      out[i] = cur == null ? cx : cur[i] + cx;
    }
    return out;
  }

  private float[] stepPlms(float[] modelOutput, int timestep, float[] sample) {
    if (!skipPrkSteps && ets.size() < 3) {
      throw new IllegalStateException("pndm: PLMS steps need the 12 Runge-Kutta steps first");
    }
    int prevTimestep = timestep - stepRatio;
    if (counter != 1) {
      while (ets.size() > 3) {
        ets.remove(0);
      }
      ets.add(modelOutput);
    } else {
      prevTimestep = timestep;
      timestep = timestep + stepRatio;
    }
    int n = modelOutput.length;
    float[] mo = new float[n];
    int k = ets.size();
    if (k == 1 && counter == 0) {
      mo = modelOutput;
      curSample = sample;
    } else if (k == 1 && counter == 1) {
      float[] e1 = ets.get(0);
      for (int i = 0; i < n; i++) {
        mo[i] = (modelOutput[i] + e1[i]) / 2f;
      }
      sample = curSample;
      curSample = null;
    } else if (k == 2) {
      float[] e1 = ets.get(1);
      float[] e2 = ets.get(0);
      for (int i = 0; i < n; i++) {
        mo[i] = (3f * e1[i] - e2[i]) / 2f;
      }
    } else if (k == 3) {
      float[] e1 = ets.get(2);
      float[] e2 = ets.get(1);
      float[] e3 = ets.get(0);
      for (int i = 0; i < n; i++) {
        mo[i] = (23f * e1[i] - 16f * e2[i] + 5f * e3[i]) / 12f;
      }
    } else {
      float[] e1 = ets.get(3);
      float[] e2 = ets.get(2);
      float[] e3 = ets.get(1);
      float[] e4 = ets.get(0);
      float c = (float) (1.0 / 24);
      for (int i = 0; i < n; i++) {
        mo[i] = c * (55f * e1[i] - 59f * e2[i] + 37f * e3[i] - 9f * e4[i]);
      }
    }
    return prevSample(sample, timestep, prevTimestep, mo);
  }

  /** {@code _get_prev_sample}: eq. 9 of the PNDM paper, from {@code timestep} to {@code prevTimestep}. */
  private float[] prevSample(float[] sample, int timestep, int prevTimestep, float[] modelOutput) {
    float alphaProdT = alphaAt(timestep);
    float alphaProdTPrev = prevTimestep >= 0 ? alphasCumprod[prevTimestep] : finalAlphaCumprod;
    float betaProdT = 1f - alphaProdT;
    float betaProdTPrev = 1f - alphaProdTPrev;
    int n = sample.length;
    float[] eps = modelOutput;
    if (prediction == PredictionType.V_PREDICTION) {
      float sa = Numerics.sqrt(alphaProdT);
      float sb = Numerics.sqrt(betaProdT);
      eps = new float[n];
      for (int i = 0; i < n; i++) {
        eps[i] = sa * modelOutput[i] + sb * sample[i];
      }
    } else if (prediction == PredictionType.SAMPLE) {
      float sa = Numerics.sqrt(alphaProdT);
      float sb = Numerics.sqrt(betaProdT);
      eps = new float[n];
      for (int i = 0; i < n; i++) {
        eps[i] = (sample[i] - sa * modelOutput[i]) / sb;
      }
    }
    float sampleCoeff = Numerics.sqrt(alphaProdTPrev / alphaProdT);
    float denom = alphaProdT * Numerics.sqrt(betaProdTPrev)
        + Numerics.sqrt(alphaProdT * betaProdT * alphaProdTPrev);
    float diff = alphaProdTPrev - alphaProdT;
    float[] prev = new float[n];
    for (int i = 0; i < n; i++) {
      prev[i] = sampleCoeff * sample[i] - diff * eps[i] / denom;
    }
    return prev;
  }

  /** x0 implied by this call's model output at its timestep (for previews). */
  private float[] previewX0(float[] modelOutput, float[] sample, int t) {
    float a = alphaAt(t);
    return prediction.originalFromVp(modelOutput, sample, Numerics.sqrt(a), Numerics.sqrt(1f - a));
  }
}
