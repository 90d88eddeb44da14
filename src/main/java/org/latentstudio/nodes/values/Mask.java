package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.tensor.Tensor;

/** The MASK type: [batch, height, width] in [0, 1]; 1 marks the area to change (ComfyUI's convention). */
public record Mask(Tensor values) implements SizedValue {
  public Mask {
    if (values.rank() != 3) {
      throw new IllegalArgumentException("a mask is [batch, height, width], not " + values);
    }
  }

  public int height() {
    return values.dim(1);
  }

  public int width() {
    return values.dim(2);
  }

  @Override
  public long byteSize() {
    return 4L * values.size();
  }
}
