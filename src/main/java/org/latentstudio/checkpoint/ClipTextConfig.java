package org.latentstudio.checkpoint;

import java.util.Set;

/**
 * The architecture of a CLIP text encoder (transformers' {@code CLIPTextModel}), from its {@code config.json} or
 * from the shapes of a single-file checkpoint's tensors.
 *
 * @param quickGelu true for {@code quick_gelu} (OpenAI CLIP, SD1.x), false for exact {@code gelu}
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads,
    int maxPositions, double layerNormEps, boolean quickGelu) {

  /** SD1.5's text encoder: OpenAI CLIP ViT-L/14's text tower. */
  public static ClipTextConfig sd15() {
    return new ClipTextConfig(49408, 768, 3072, 12, 12, 77, 1e-5, true);
  }

  public static ClipTextConfig read(ConfigReader c) throws CheckpointException {
    c.choice("model_type", "clip_text_model", Set.of("clip_text_model", "clip"));
    String act = c.choice("hidden_act", "quick_gelu", Set.of("quick_gelu", "gelu"));
    int hidden = c.integer("hidden_size", 512, 1, 65536);
    int heads = c.integer("num_attention_heads", 8, 1, 4096);
    ClipTextConfig config = new ClipTextConfig(c.integer("vocab_size", 49408, 1, 10_000_000), hidden,
        c.integer("intermediate_size", 2048, 1, 1 << 20), c.integer("num_hidden_layers", 12, 1, 256), heads,
        c.integer("max_position_embeddings", 77, 1, 1 << 16), c.number("layer_norm_eps", 1e-5, 1e-12, 1e-1),
        act.equals("quick_gelu"));
    if (hidden % heads != 0) {
      throw new CheckpointException(c.source() + ": hidden_size " + hidden + " does not split into "
          + "num_attention_heads " + heads);
    }
    return config;
  }
}
