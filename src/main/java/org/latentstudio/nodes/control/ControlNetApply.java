package org.latentstudio.nodes.control;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Control;

/**
 * ComfyUI's older ControlNetApply: the ControlNet on one conditioning only (the positive prompt), over the whole
 * schedule. The sampler runs it on that prompt's passes; the negative passes get no residuals.
 */
public final class ControlNetApply implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ControlNetApply", "Apply ControlNet (positive only)", "conditioning/controlnet",
        List.of(Ports.CONDITIONING_IN, Ports.CONTROL_NET_IN, Ports.IMAGE_IN, ControlNetApplyAdvanced.STRENGTH),
        List.of(Ports.CONDITIONING));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Control control = new Control(in.get(Ports.CONTROL_NET_IN), ControlNetApplyAdvanced.hint(in.get(Ports.IMAGE_IN)),
        in.get(ControlNetApplyAdvanced.STRENGTH), 0, 1);
    return Outputs.of(Ports.CONDITIONING, in.get(Ports.CONDITIONING_IN).withControl(control))
        .withDisplay(ControlNetApplyAdvanced.thumbnail(in.get(Ports.IMAGE_IN)));
  }
}
