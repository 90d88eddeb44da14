package org.latentstudio.diffusion;

import java.util.Objects;
import org.latentstudio.tensor.Tensor;

/** Bookkeeping shared by the samplers: the timesteps, index checks and in-order stepping. */
abstract class AbstractSampler implements Sampler {
  protected float[] timesteps;
  private int nextIndex = -1;

  /** Sets {@link #timesteps} (and whatever else the schedule needs) and resets the sampler's own state. */
  protected abstract void schedule(int steps);

  protected abstract StepResult doStep(float[] modelOutput, int index, float[] sample, int[] shape,
      NoiseSource noise);

  @Override
  public final void setTimesteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    schedule(steps);
    nextIndex = -1;
  }

  @Override
  public float[] timesteps() {
    return requireTimesteps().clone();
  }

  @Override
  public float[] sigmas() {
    return new float[0];
  }

  @Override
  public int order() {
    return 1;
  }

  @Override
  public final StepResult step(Tensor modelOutput, int index, Tensor sample, NoiseSource noise) {
    checkIndex(index);
    if (!modelOutput.sameShape(sample)) {
      throw new IllegalArgumentException("model output " + modelOutput + " and sample " + sample + " differ in shape");
    }
    if (nextIndex >= 0 && index != nextIndex) {
      throw new IllegalStateException(getClass().getSimpleName() + ": step " + index + " after step " + (nextIndex - 1)
          + "; steps must come in order (call setTimesteps to start again)");
    }
    StepResult r = doStep(modelOutput.data(), index, sample.data(), sample.shape(), noise);
    nextIndex = index + 1;
    return r;
  }

  protected final float[] requireTimesteps() {
    if (timesteps == null) {
      throw new IllegalStateException(getClass().getSimpleName() + ": call setTimesteps first");
    }
    return timesteps;
  }

  protected final void checkIndex(int index) {
    int n = requireTimesteps().length;
    if (index < 0 || index >= n) {
      throw new IndexOutOfBoundsException("call index " + index + " outside 0.." + (n - 1));
    }
  }

  protected static void requireNoise(NoiseSource noise, String who) {
    Objects.requireNonNull(noise, () -> who + " draws noise at every step and needs a NoiseSource");
  }

  protected static Tensor tensor(float[] data, int[] shape) {
    return Tensor.of(data, shape);
  }

  /** {@code original * a + noise * b}, element by element with torch's float32 rounding. */
  protected static Tensor scaledSum(Tensor original, float a, Tensor noise, float b) {
    if (!original.sameShape(noise)) {
      throw new IllegalArgumentException("original " + original + " and noise " + noise + " differ in shape");
    }
    float[] x = original.data();
    float[] n = noise.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i] + b * n[i];
    }
    return Tensor.of(out, original.shape());
  }
}
