package org.latentstudio.nodes.loaders;

import java.util.List;
import java.util.Map;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;

/** ComfyUI's LoraLoaderModelOnly: a LoRA onto the model (UNet) alone; its text-encoder layers are not applied. */
public final class LoraLoaderModelOnly implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("LoraLoaderModelOnly", "Load LoRA (model only)", "loaders",
        List.of(Ports.MODEL_IN, LoraLoader.LORA_NAME, LoraLoader.STRENGTH_MODEL), List.of(Ports.MODEL));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    LoraApply.Result r = LoraApply.apply(in.get(Ports.MODEL_IN), null, in.get(LoraLoader.LORA_NAME),
        in.get(LoraLoader.STRENGTH_MODEL), 0, ctx);
    return Outputs.of(Ports.MODEL, r.model()).withDisplay(r.display());
  }

  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return LoraApply.fingerprint(literals, services);
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return LoraApply.missing(literals, services, false);
  }
}
