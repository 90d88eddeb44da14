package org.latentstudio.nodes.values;

import java.util.List;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.ModelFolder;

/**
 * The MODEL type: the denoising UNet of a checkpoint, plus the weight patches (LoRAs) to apply to it.
 * A handle, not the weights: sessions are loaded on use and kept by the runtime.
 */
public record Checkpoint(ModelFolder folder, List<Object> patches) implements SizedValue {
  public Checkpoint {
    patches = List.copyOf(patches);
  }

  public static Checkpoint of(ModelFolder folder) {
    return new Checkpoint(folder, List.of());
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
