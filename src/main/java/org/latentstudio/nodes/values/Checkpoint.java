package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.SdModel;

/**
 * The MODEL type: the denoising UNet of a checkpoint. A handle, not the weights: sessions are loaded on use and
 * kept by the runtime.
 */
public record Checkpoint(SdModel model) implements SizedValue {
  @Override
  public long byteSize() {
    return 256;
  }
}
