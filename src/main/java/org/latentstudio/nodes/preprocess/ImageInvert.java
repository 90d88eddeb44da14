package org.latentstudio.nodes.preprocess;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.tensor.Tensor;

/** ComfyUI's ImageInvert: 1 − x, e.g. black lines on white into the white-on-black a ControlNet expects. */
public final class ImageInvert implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ImageInvert", "Invert Image", "image", List.of(Ports.IMAGE_IN), List.of(Ports.IMAGE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Tensor p = in.get(Ports.IMAGE_IN).pixels();
    float[] out = new float[p.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = 1f - p.get(i);
    }
    return Outputs.of(Ports.IMAGE, new ImageBatch(Tensor.of(out, p.shape())));
  }
}
