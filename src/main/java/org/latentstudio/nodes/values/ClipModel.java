package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.ModelFolder;

/** The CLIP type: a checkpoint's tokenizer and text encoder. A handle; the runtime loads the session. */
public record ClipModel(ModelFolder folder) implements SizedValue {
  @Override
  public long byteSize() {
    return 256;
  }
}
