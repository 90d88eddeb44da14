package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.ModelFolder;
import org.latentstudio.text.ClipTokenizer;

/**
 * The CLIP type: a checkpoint's tokenizer, loaded once with the checkpoint, and its text encoder, a handle
 * whose session the runtime loads on use.
 */
public record ClipModel(ModelFolder folder, ClipTokenizer tokenizer) implements SizedValue {
  @Override
  public long byteSize() {
    return 4L << 20; // the vocabulary and merge ranks of a full CLIP tokenizer
  }
}
