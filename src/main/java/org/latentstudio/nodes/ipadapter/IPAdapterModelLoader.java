package org.latentstudio.nodes.ipadapter;

import java.util.List;
import java.util.Map;
import org.latentstudio.checkpoint.IpAdapterCheckpoint;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.control.ModelFiles;
import org.latentstudio.nodes.values.IpAdapter;
import org.latentstudio.runtime.ModelLibrary;

/** ComfyUI_IPAdapter_plus's IPAdapterModelLoader: an IP-Adapter file (h94's ip-adapter_sd15.safetensors). */
public final class IPAdapterModelLoader implements NodeType {
  static final InPort<String> FILE = InPort.text("ipadapter_file", "").file("ipadapter")
      .tooltip("an IP-Adapter .safetensors file, or the name of one in the ipadapter/ folders");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("IPAdapterModelLoader", "IPAdapter Model Loader", "ipadapter", List.of(FILE),
        List.of(Ports.IPADAPTER));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(Ports.IPADAPTER,
        new IpAdapter(ModelFiles.load(ctx, ModelLibrary.Kind.IPADAPTER, in.get(FILE), IpAdapterCheckpoint::read)));
  }

  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return ModelFiles.stamp(services, ModelLibrary.Kind.IPADAPTER, literals.get(FILE.name()));
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return ModelFiles.missing(services, ModelLibrary.Kind.IPADAPTER, FILE.name(), literals.get(FILE.name()));
  }
}
