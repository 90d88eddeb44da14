package org.latentstudio.runtime;

import org.latentstudio.tensor.Tensor;

/**
 * The inputs a {@link org.latentstudio.compiler.UNetVariant} adds, for one UNet call. Every call gives all of
 * them: an inactive ControlNet is zeros, an inactive IP-Adapter a zero scale, never the values of an earlier step.
 *
 * @param residuals      the ControlNet residuals, down residuals then the mid one, batched as the sample; null
 *                       feeds zeros of {@code residualShapes}
 * @param residualShapes the residuals' shapes for this sample, in the same order
 * @param ipTokens       the image tokens per batch entry [batch, tokens, cross], or null without an IP-Adapter
 * @param ipScale        the scale per cross-attention layer (forward order), or null without an IP-Adapter
 */
public record UNetExtras(Tensor[] residuals, int[][] residualShapes, Tensor ipTokens, float[] ipScale) {
  public static final UNetExtras NONE = new UNetExtras(null, null, null, null);
}
