package org.latentstudio.nodes.values;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.tensor.Tensor;

/**
 * The CONDITIONING type: what the UNet attends to for one prompt.
 *
 * @param embeddings the prompt's encoding, [1, 77·chunks, hidden], with prompt weights applied
 * @param empty      the encoding of the empty prompt with the same encoder, [1, 77, hidden]: the
 *                   unconditional pass of the general guidance form, and the stand-in for a negative prompt
 *                   before the step it starts at
 * @param controls   the ControlNets applied to this conditioning, in the order they were applied
 */
public record Conditioning(Tensor embeddings, Tensor empty, List<Control> controls) implements SizedValue {
  public Conditioning {
    controls = List.copyOf(controls);
  }

  public Conditioning(Tensor embeddings, Tensor empty) {
    this(embeddings, empty, List.of());
  }

  /** The same prompt with one more ControlNet. */
  public Conditioning withControl(Control control) {
    List<Control> all = new ArrayList<>(controls);
    all.add(control);
    return new Conditioning(embeddings, empty, all);
  }

  public int tokens() {
    return embeddings.dim(1);
  }

  public int hidden() {
    return embeddings.dim(2);
  }

  @Override
  public long byteSize() {
    return 4L * (embeddings.size() + empty.size()) + controls.stream().mapToLong(c -> 4L * c.image().size()).sum();
  }
}
