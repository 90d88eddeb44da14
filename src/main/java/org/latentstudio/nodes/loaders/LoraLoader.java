package org.latentstudio.nodes.loaders;

import java.util.List;
import java.util.Map;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;

/**
 * ComfyUI's LoraLoader: a LoRA onto a model and its text encoder, each at its own strength. Chain several to stack
 * them. The node reports how many of the file's keys matched the model and lists any it left out.
 */
public final class LoraLoader implements NodeType {
  static final InPort<String> LORA_NAME = InPort.text("lora_name", "").file("lora")
      .tooltip("a LoRA .safetensors file (kohya or diffusers/PEFT), or the name of one in the loras folders");
  static final InPort<Double> STRENGTH_MODEL = InPort.number("strength_model", 1.0, -100, 100).step(0.01)
      .tooltip("how strongly the LoRA changes the UNet; 0 leaves it as it is, negative values push the other way");
  static final InPort<Double> STRENGTH_CLIP = InPort.number("strength_clip", 1.0, -100, 100).step(0.01)
      .tooltip("how strongly the LoRA changes the text encoder");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("LoraLoader", "Load LoRA", "loaders",
        List.of(Ports.MODEL_IN, Ports.CLIP_IN, LORA_NAME, STRENGTH_MODEL, STRENGTH_CLIP),
        List.of(Ports.MODEL, Ports.CLIP));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    LoraApply.Result r = LoraApply.apply(in.get(Ports.MODEL_IN), in.get(Ports.CLIP_IN), in.get(LORA_NAME),
        in.get(STRENGTH_MODEL), in.get(STRENGTH_CLIP), ctx);
    return Outputs.of(Ports.MODEL, r.model()).and(Ports.CLIP, r.clip()).withDisplay(r.display());
  }

  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return LoraApply.fingerprint(literals, services);
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return LoraApply.missing(literals, services, true);
  }
}
