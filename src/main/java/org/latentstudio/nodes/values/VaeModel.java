package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.ModelFolder;

/** The VAE type: a checkpoint's VAE encoder and decoder, with its scaling factor and preview factors. */
public record VaeModel(ModelFolder folder) implements SizedValue {
  public float scalingFactor() {
    return folder.vaeScalingFactor();
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
