package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.SdModel;

/** The VAE type: a checkpoint's VAE encoder and decoder, with its scaling factor and preview factors. */
public record VaeModel(SdModel model) implements SizedValue {
  public float scalingFactor() {
    return model.vaeScalingFactor();
  }

  /** Pixels per latent cell along a side: 8 for SD1.5, 2^(levels − 1) in general. */
  public int downscale() {
    return model.vaeDownscale();
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
