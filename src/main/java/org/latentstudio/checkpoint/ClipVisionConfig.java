package org.latentstudio.checkpoint;

import java.util.Set;

/**
 * The architecture of a CLIP image encoder (transformers' {@code CLIPVisionModelWithProjection}, the
 * {@code image_encoder/} folder IP-Adapters use): a ViT over {@code imageSize}² pictures cut into
 * {@code patchSize}² patches, whose class token, normed and projected, is the image embedding.
 *
 * @param projectionDim the image embedding's width: the IP-Adapter's projection takes exactly this many values
 */
public record ClipVisionConfig(int hiddenSize, int intermediateSize, int layers, int heads, int imageSize,
    int patchSize, int channels, int projectionDim, double layerNormEps, boolean quickGelu) {

  public int patches() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** Reads a {@code CLIPVisionModelWithProjection} config, or the {@code vision_config} of a whole CLIP config. */
  public static ClipVisionConfig read(ConfigReader c) throws CheckpointException {
    ConfigReader v = c.has("vision_config") ? c.object("vision_config") : c;
    v.choice("model_type", "clip_vision_model", Set.of("clip_vision_model"));
    String act = v.choice("hidden_act", "quick_gelu", Set.of("quick_gelu", "gelu"));
    int hidden = v.integer("hidden_size", 768, 1, 65536);
    int heads = v.integer("num_attention_heads", 12, 1, 4096);
    int image = v.integer("image_size", 224, 1, 8192);
    int patch = v.integer("patch_size", 32, 1, 8192);
    int projection = v.has("projection_dim") ? v.integer("projection_dim", 512, 1, 65536)
        : c.integer("projection_dim", 512, 1, 65536);
    if (hidden % heads != 0) {
      throw v.problem("num_attention_heads", "does not divide hidden_size " + hidden, null);
    }
    if (image % patch != 0) {
      throw v.problem("patch_size", "does not divide image_size " + image, null);
    }
    return new ClipVisionConfig(hidden, v.integer("intermediate_size", 3072, 1, 1 << 20),
        v.integer("num_hidden_layers", 12, 1, 256), heads, image, patch, v.integer("num_channels", 3, 1, 4),
        projection, v.number("layer_norm_eps", 1e-5, 1e-12, 1e-1), act.equals("quick_gelu"));
  }
}
