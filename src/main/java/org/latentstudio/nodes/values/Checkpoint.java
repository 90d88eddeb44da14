package org.latentstudio.nodes.values;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.SdModel;

/**
 * The MODEL type: the denoising UNet of a checkpoint, with the LoRAs chained onto it and maybe an IP-Adapter. A
 * handle, not the weights: sessions are loaded on use and kept by the runtime, one per set of LoRAs and strengths.
 *
 * @param loras applied in order, each at its strength ({@link #unet()} merges them when the session is built)
 * @param ipAdapter an IP-Adapter applied to it (IPAdapterAdvanced), or null
 */
public record Checkpoint(SdModel model, List<LoraPatch> loras, IpAdapterPatch ipAdapter) implements SizedValue {
  public Checkpoint {
    loras = List.copyOf(loras);
  }

  public Checkpoint(SdModel model) {
    this(model, List.of(), null);
  }

  /** The UNet to open: the checkpoint's own, or a session with the LoRAs merged into it. */
  public ModelSource unet() {
    return model.unet().withLoras(loras);
  }

  /** This model with one more LoRA on top. */
  public Checkpoint withLora(LoraPatch lora) {
    List<LoraPatch> all = new ArrayList<>(loras);
    all.add(lora);
    return new Checkpoint(model, all, ipAdapter);
  }

  /** This model with an IP-Adapter applied. */
  public Checkpoint withIpAdapter(IpAdapterPatch patch) {
    return new Checkpoint(model, loras, patch);
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
