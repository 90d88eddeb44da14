package org.latentstudio.nodes.control;

import java.util.List;
import java.util.Map;
import org.latentstudio.checkpoint.ControlNetCheckpoint;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.ControlNet;
import org.latentstudio.runtime.ModelLibrary;

/**
 * ComfyUI's ControlNetLoader: a ControlNet from a diffusers folder or an original single file
 * ({@code control_v11p_sd15_canny.safetensors}), by path or by name in the {@code controlnet/} model folders.
 */
public final class ControlNetLoader implements NodeType {
  static final InPort<String> NAME = InPort.text("control_net_name", "").file("controlnet")
      .tooltip("a ControlNet .safetensors file or diffusers folder, or the name of one in the controlnet/ folders");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ControlNetLoader", "Load ControlNet Model", "loaders", List.of(NAME),
        List.of(Ports.CONTROL_NET));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(Ports.CONTROL_NET,
        new ControlNet(ModelFiles.load(ctx, ModelLibrary.Kind.CONTROLNET, in.get(NAME), ControlNetCheckpoint::read)));
  }

  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return ModelFiles.stamp(services, ModelLibrary.Kind.CONTROLNET, literals.get(NAME.name()));
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return ModelFiles.missing(services, ModelLibrary.Kind.CONTROLNET, NAME.name(), literals.get(NAME.name()));
  }
}
