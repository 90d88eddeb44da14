package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.tensor.Tensor;

/**
 * The CONDITIONING type: what the UNet attends to for one prompt.
 *
 * @param embeddings the prompt's encoding, [1, 77·chunks, hidden], with prompt weights applied
 * @param empty      the encoding of the empty prompt with the same encoder, [1, 77, hidden]: the
 *                   unconditional pass of the general guidance form, and the stand-in for a negative prompt
 *                   before the step it starts at
 */
public record Conditioning(Tensor embeddings, Tensor empty) implements SizedValue {
  public int tokens() {
    return embeddings.dim(1);
  }

  public int hidden() {
    return embeddings.dim(2);
  }

  @Override
  public long byteSize() {
    return 4L * (embeddings.size() + empty.size());
  }
}
