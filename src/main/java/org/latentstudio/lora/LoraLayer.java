package org.latentstudio.lora;

import org.latentstudio.weights.StoredTensor;

/**
 * One layer of a LoRA: the low-rank pair that changes one weight of the model,
 * {@code W' = W + strength · scale · up · down}.
 *
 * @param key    the layer's name as the file spells it (kohya's {@code lora_unet_…}, a PEFT module path), for messages
 * @param part   the model part it changes
 * @param module the module it names: a dotted diffusers/transformers path, or kohya's underscored name
 * @param kohya  whether {@code module} is a kohya name, whose dots became underscores
 * @param down   [rank, in] for a Linear layer, [rank, in, kh, kw] for a convolution
 * @param up     [out, rank], or [out, rank, 1, 1]
 * @param alpha  the file's alpha (scale = alpha / rank), or null for scale 1
 */
public record LoraLayer(String key, LoraPart part, String module, boolean kohya, StoredTensor down, StoredTensor up,
    Float alpha) {

  public int rank() {
    return (int) down.dim(0);
  }

  /** The factor on {@code up · down}: alpha / rank, as kohya and PEFT define it. */
  public float scale() {
    return alpha == null ? 1f : alpha / rank();
  }

  /** Rows of the delta: the target weight's output size. */
  public long outFeatures() {
    return up.dim(0);
  }

  /** Columns of the delta: the target weight's input size times its kernel area. */
  public long inFeatures() {
    return down.elements() / rank();
  }

  /** The delta's shape as torch declares the weight: [out, in] or [out, in, kh, kw]. */
  public long[] deltaShape() {
    return down.rank() == 4 ? new long[] {outFeatures(), down.dim(1), down.dim(2), down.dim(3)}
        : new long[] {outFeatures(), down.dim(1)};
  }
}
