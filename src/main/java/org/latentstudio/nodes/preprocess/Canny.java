package org.latentstudio.nodes.preprocess;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.tensor.Tensor;

/** ComfyUI's Canny node: white edges on black, for a canny ControlNet (see {@link org.latentstudio.image.Canny}). */
public final class Canny implements NodeType {
  static final InPort<Double> LOW = InPort.number("low_threshold", 0.4, 0.01, 0.99).step(0.01)
      .tooltip("weaker edges are dropped unless they connect to a strong one");
  static final InPort<Double> HIGH = InPort.number("high_threshold", 0.8, 0.01, 0.99).step(0.01)
      .tooltip("edges at least this strong are always kept");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("Canny", "Canny", "image/preprocessors", List.of(Ports.IMAGE_IN, LOW, HIGH),
        List.of(Ports.IMAGE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    double low = in.get(LOW);
    double high = in.get(HIGH);
    if (low > high) {
      throw new NodeException("low_threshold " + low + " is above high_threshold " + high + "; swap them");
    }
    ImageBatch img = in.get(Ports.IMAGE_IN);
    int w = img.width();
    int h = img.height();
    float[] out = new float[img.pixels().size()];
    for (int b = 0; b < img.batch(); b++) {
      float[] edges = org.latentstudio.image.Canny.edges(
          org.latentstudio.image.Canny.grey(img.pixels().data(), b * w * h * 3, w * h), w, h, low, high);
      for (int i = 0; i < w * h; i++) {
        int p = (b * w * h + i) * 3;
        out[p] = edges[i];
        out[p + 1] = edges[i];
        out[p + 2] = edges[i];
      }
    }
    return Outputs.of(Ports.IMAGE, new ImageBatch(Tensor.of(out, img.batch(), h, w, 3)));
  }
}
