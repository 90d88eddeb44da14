package org.latentstudio.nodes.ipadapter;

import java.util.List;
import java.util.Map;
import org.latentstudio.checkpoint.ClipVisionCheckpoint;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.control.ModelFiles;
import org.latentstudio.nodes.values.ClipVision;
import org.latentstudio.runtime.ModelLibrary;

/**
 * ComfyUI's CLIPVisionLoader: a CLIP image encoder, h94's {@code image_encoder/} folder or a single file as in
 * ComfyUI's {@code clip_vision/} folder. Compiled to ONNX like a checkpoint, on first use.
 */
public final class CLIPVisionLoader implements NodeType {
  static final InPort<String> NAME = InPort.text("clip_name", "").file("clip_vision")
      .tooltip("an image_encoder folder (config.json + model.safetensors) or .safetensors file, or the name of one "
          + "in the clip_vision/ folders");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("CLIPVisionLoader", "Load CLIP Vision", "loaders", List.of(NAME), List.of(Ports.CLIP_VISION));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(Ports.CLIP_VISION,
        new ClipVision(ModelFiles.load(ctx, ModelLibrary.Kind.CLIP_VISION, in.get(NAME), ClipVisionCheckpoint::read)));
  }

  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return ModelFiles.stamp(services, ModelLibrary.Kind.CLIP_VISION, literals.get(NAME.name()));
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return ModelFiles.missing(services, ModelLibrary.Kind.CLIP_VISION, NAME.name(), literals.get(NAME.name()));
  }
}
