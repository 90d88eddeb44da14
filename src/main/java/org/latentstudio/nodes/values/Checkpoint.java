package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.SdModel;

/**
 * The MODEL type: the denoising UNet of a checkpoint. A handle, not the weights: sessions are loaded on use and
 * kept by the runtime.
 *
 * @param ipAdapter an IP-Adapter applied to it (IPAdapterAdvanced), or null
 */
public record Checkpoint(SdModel model, IpAdapterPatch ipAdapter) implements SizedValue {
  public Checkpoint(SdModel model) {
    this(model, null);
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
