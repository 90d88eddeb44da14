package org.latentstudio.nodes.values;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.text.ClipTokenizer;

/**
 * The CLIP type: a checkpoint's tokenizer, loaded once with the checkpoint, and its text encoder, a handle
 * whose session the runtime loads on use, with the text-encoder LoRAs chained onto it.
 *
 * @param stopAtLayer the text encoder layer whose output is used: -1 for the last (ComfyUI's CLIPSetLastLayer)
 * @param loras       applied in order, each at its strength
 */
public record ClipModel(SdModel model, ClipTokenizer tokenizer, int stopAtLayer, List<LoraPatch> loras)
    implements SizedValue {
  public ClipModel {
    loras = List.copyOf(loras);
  }

  public ClipModel(SdModel model, ClipTokenizer tokenizer) {
    this(model, tokenizer, -1, List.of());
  }

  public ModelSource textEncoder() throws ModelException {
    return model.text().stoppingAt(stopAtLayer).withLoras(loras);
  }

  public ClipModel stoppingAt(int layer) {
    return new ClipModel(model, tokenizer, layer, loras);
  }

  /** This text encoder with one more LoRA on top. */
  public ClipModel withLora(LoraPatch lora) {
    List<LoraPatch> all = new ArrayList<>(loras);
    all.add(lora);
    return new ClipModel(model, tokenizer, stopAtLayer, all);
  }

  @Override
  public long byteSize() {
    return 4L << 20; // the vocabulary and merge ranks of a full CLIP tokenizer
  }
}
