package org.latentstudio.nodes.control;

import java.util.List;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.nodes.values.Control;
import org.latentstudio.tensor.Tensor;

/**
 * ComfyUI's ControlNetApplyAdvanced: attaches a ControlNet with its control image to both conditionings. Its
 * residuals, times {@code strength}, join the UNet's while the noise level is between
 * {@code percent_to_sigma(start_percent)} and {@code percent_to_sigma(end_percent)} (noise levels, not step
 * counts). Applied again on its output, ControlNets chain: their residuals add up. The control image shows on
 * the node; the sampler fits it to the latent (and says so when it has to).
 */
public final class ControlNetApplyAdvanced implements NodeType {
  static final InPort<Double> STRENGTH = InPort.number("strength", 1, 0, 10).step(0.01)
      .tooltip("how strongly the control image steers: its residuals are multiplied by this");
  static final InPort<Double> START = InPort.number("start_percent", 0, 0, 1).step(0.001)
      .tooltip("where in the schedule the ControlNet starts: 0 is the first, noisiest step");
  static final InPort<Double> END = InPort.number("end_percent", 1, 0, 1).step(0.001)
      .tooltip("where it stops: 1 is the last step; lower leaves the details to the prompt");
  static final OutPort<Conditioning> POSITIVE = OutPort.of("positive", PortType.CONDITIONING, Conditioning.class);
  static final OutPort<Conditioning> NEGATIVE = OutPort.of("negative", PortType.CONDITIONING, Conditioning.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ControlNetApplyAdvanced", "Apply ControlNet", "conditioning/controlnet",
        List.of(Ports.POSITIVE_IN, Ports.NEGATIVE_IN, Ports.CONTROL_NET_IN, Ports.IMAGE_IN, STRENGTH, START, END),
        List.of(POSITIVE, NEGATIVE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    double start = in.get(START);
    double end = in.get(END);
    if (start > end) {
      throw new NodeException("start_percent " + start + " is after end_percent " + end + "; the ControlNet would "
          + "never run. Lower start_percent or raise end_percent");
    }
    ImageBatch image = in.get(Ports.IMAGE_IN);
    Control control = new Control(in.get(Ports.CONTROL_NET_IN), hint(image), in.get(STRENGTH), start, end);
    return Outputs.of(POSITIVE, in.get(Ports.POSITIVE_IN).withControl(control))
        .and(NEGATIVE, in.get(Ports.NEGATIVE_IN).withControl(control))
        .withDisplay(thumbnail(image));
  }

  /** The first picture of the batch as [1, 3, H, W] in 0–1 (ComfyUI's movedim(-1, 1)). */
  static Tensor hint(ImageBatch image) {
    int h = image.height();
    int w = image.width();
    float[] src = image.pixels().data();
    float[] out = new float[3 * h * w];
    for (int i = 0; i < h * w; i++) {
      for (int c = 0; c < 3; c++) {
        out[c * h * w + i] = src[i * 3 + c];
      }
    }
    return Tensor.of(out, 1, 3, h, w);
  }

  static Display thumbnail(ImageBatch image) {
    return Display.thumbnail(image.toRgb(0), image.width() + "×" + image.height() + " control image");
  }
}
