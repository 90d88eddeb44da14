package org.latentstudio.diffusion;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.latentstudio.tensor.Tensor;

/**
 * diffusers' {@code LMSDiscreteScheduler} (v0.30.3, {@code schedulers/scheduling_lms_discrete.py}): linear
 * multistep of order up to 4 over the last derivatives.
 *
 * <p>The coefficients integrate the Lagrange basis polynomials over {@code [sigma_i, sigma_(i+1)]}; diffusers
 * does it with {@code scipy.integrate.quad} on an integrand it evaluates in float32. For these cubic (or lower)
 * polynomials quad stops after its first 21-point Gauss–Kronrod rule, which is reproduced here with the same
 * float32 integrand, so the coefficients come out as diffusers'. As in diffusers the order is
 * {@code min(index + 1, 4)} by absolute index, while only the derivatives seen since {@code setTimesteps} are
 * summed (this matters for img2img).
 *
 * <p>Config keys read, with defaults: num_train_timesteps (1000), beta_start (0.0001), beta_end (0.02),
 * beta_schedule (linear), trained_betas, prediction_type (epsilon), timestep_spacing (linspace), steps_offset
 * (0). Karras and exponential sigmas span the interpolated extremes. Draws no noise.
 */
public final class LMSDiscreteScheduler extends DiscreteSigmaSampler {
  private static final int ORDER = 4;
  private final Deque<float[]> derivatives = new ArrayDeque<>();

  public LMSDiscreteScheduler(SchedulerConfig cfg, SigmaSchedule sigmaSchedule) {
    super("lms", cfg, sigmaSchedule, 0.0001, 0.02, BetaSchedules.ZeroSnr.IGNORED);
  }

  @Override
  protected void schedule(int steps) {
    Schedule s = sigmaFamilySchedule(steps, null, null);
    sigmas = Sigmas.withFinal(s.sigmas(), 0f);
    timesteps = s.timesteps();
    derivatives.clear();
  }

  @Override
  protected StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape, NoiseSource noise) {
    float sigma = sigmas[index];
    float[] x0 = predictOriginal(modelOutput, sample, sigma);
    float[] derivative = new float[sample.length];
    for (int i = 0; i < derivative.length; i++) {
      derivative[i] = (sample[i] - x0[i]) / sigma;
    }
    derivatives.addLast(derivative);
    if (derivatives.size() > ORDER) {
      derivatives.removeFirst();
    }
    int order = Math.min(index + 1, ORDER);
    float[] sum = null;
    Iterator<float[]> newestFirst = derivatives.descendingIterator();
    for (int k = 0; k < order && newestFirst.hasNext(); k++) {
      float coeff = (float) lmsCoefficient(order, index, k);
      float[] d = newestFirst.next();
      if (sum == null) {
        sum = new float[d.length];
        for (int i = 0; i < d.length; i++) {
          sum[i] = coeff * d[i];
        }
      } else {
        for (int i = 0; i < d.length; i++) {
          sum[i] = sum[i] + coeff * d[i];
        }
      }
    }
    float[] prev = new float[sample.length];
    for (int i = 0; i < prev.length; i++) {
      prev[i] = sample[i] + sum[i];
    }
    return new StepResult(Tensor.of(prev, shape), Tensor.of(x0, shape));
  }

  /**
   * {@code get_lms_coefficient(order, t, current_order)}: the integral over {@code [sigma_t, sigma_(t+1)]} of
   * the Lagrange basis polynomial for {@code sigma_(t - current_order)} on the nodes
   * {@code sigma_t, ..., sigma_(t - order + 1)}.
   */
  double lmsCoefficient(int order, int t, int currentOrder) {
    return GaussKronrod21.integrate(tau -> {
      if (order == 1) {
        return 1.0; // the Python integrand returns the float 1.0, never a tensor
      }
      float prod = 1f;
      boolean first = true;
      for (int k = 0; k < order; k++) {
        if (currentOrder == k) {
          continue;
        }
        float factor = ((float) tau - sigmas[t - k]) / (sigmas[t - currentOrder] - sigmas[t - k]);
        prod = first ? factor : prod * factor;
        first = false;
      }
      return prod;
    }, sigmas[t], sigmas[t + 1]);
  }
}
