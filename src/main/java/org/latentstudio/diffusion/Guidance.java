package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * How the unconditional and conditional predictions combine into the one the sampler steps with.
 *
 * <ul>
 *   <li>{@link #classic}: classifier-free guidance with a negative prompt, as diffusers does it:
 *       {@code ε = ε_neg + g·(ε_pos − ε_neg)}, the negative prompt standing in for the unconditional pass.
 *   <li>{@link #separate}: the general form with an empty-prompt pass and its own negative scale:
 *       {@code ε = ε_∅ + s⁺·(ε_pos − ε_∅) − s⁻·(ε_neg − ε_∅)}. With {@code s⁻ = 0} it is classic guidance
 *       against the empty prompt.
 * </ul>
 * Both compute in float32 in diffusers' operation order, so results match it bit for bit.
 */
public final class Guidance {
  private Guidance() {}

  public static Tensor classic(Tensor negative, Tensor positive, float scale) {
    float[] u = negative.data();
    float[] c = positive.data();
    float[] out = new float[u.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = u[i] + scale * (c[i] - u[i]);
    }
    return Tensor.of(out, negative.shape());
  }

  public static Tensor separate(Tensor empty, Tensor positive, Tensor negative, float positiveScale,
      float negativeScale) {
    float[] e = empty.data();
    float[] p = positive.data();
    float[] n = negative.data();
    float[] out = new float[e.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = e[i] + positiveScale * (p[i] - e[i]) - negativeScale * (n[i] - e[i]);
    }
    return Tensor.of(out, empty.shape());
  }
}
