package org.latentstudio.nodes.values;

import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.text.ClipTokenizer;

/**
 * The CLIP type: a checkpoint's tokenizer, loaded once with the checkpoint, and its text encoder, a handle
 * whose session the runtime loads on use.
 *
 * @param stopAtLayer the text encoder layer whose output is used: -1 for the last (ComfyUI's CLIPSetLastLayer)
 */
public record ClipModel(SdModel model, ClipTokenizer tokenizer, int stopAtLayer) implements SizedValue {
  public ClipModel(SdModel model, ClipTokenizer tokenizer) {
    this(model, tokenizer, -1);
  }

  public ModelSource textEncoder() throws ModelException {
    return model.text().stoppingAt(stopAtLayer);
  }

  public ClipModel stoppingAt(int layer) {
    return new ClipModel(model, tokenizer, layer);
  }

  @Override
  public long byteSize() {
    return 4L << 20; // the vocabulary and merge ranks of a full CLIP tokenizer
  }
}
