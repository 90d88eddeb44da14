package org.latentstudio.checkpoint;

import java.util.Map;
import java.util.Optional;
import org.latentstudio.weights.WeightSet;

/**
 * What a weight file is, told from its tensor names and shapes, so a file given in the wrong place is refused
 * with a message that says what it is and what to do with it, instead of a list of missing keys.
 */
public enum ModelFileKind {
  SD1_CHECKPOINT("a Stable Diffusion 1.x checkpoint"),
  SD2_CHECKPOINT("a Stable Diffusion 2.x checkpoint (OpenCLIP text encoder, 1024-wide cross-attention)"),
  SDXL_CHECKPOINT("a Stable Diffusion XL checkpoint"),
  SD3_CHECKPOINT("a Stable Diffusion 3 checkpoint (MMDiT transformer)"),
  FLUX_CHECKPOINT("a Flux checkpoint (rectified-flow transformer)"),
  LORA("a LoRA (a low-rank add-on to a checkpoint)"),
  SDXL_LORA("an SDXL LoRA"),
  CONTROLNET("a ControlNet"),
  IP_ADAPTER("an IP-Adapter"),
  EMBEDDING("a textual-inversion embedding"),
  VAE_ONLY("a standalone VAE"),
  DIFFUSERS_UNET("a UNet alone in diffusers naming (one component of a diffusers folder)"),
  UNKNOWN("not a Stable Diffusion checkpoint Latent Studio recognises");

  private final String description;

  ModelFileKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** Classifies a file from its tensors (and safetensors metadata, which LoRA trainers fill in). */
  public static ModelFileKind of(WeightSet w, Map<String, String> metadata) {
    // FaceID IP-Adapters carry LoRA layers too; their image projection tells them apart
    if (any(w, "image_proj.") && any(w, "ip_adapter.")) {
      return IP_ADAPTER;
    }
    boolean lora = false;
    boolean loraXl = false;
    for (String k : w.names()) {
      if (k.startsWith("lora_unet_") || k.startsWith("lora_te") || k.contains(".lora_down.") || k.contains(".lora_up.")
          || k.contains(".lora_A.") || k.contains(".lora_B.") || k.contains("_lora.down.") || k.contains(".lora.down.")
          || k.contains(".lora_linear_layer.") || k.contains(".hada_w1")
          || k.contains(".lokr_w1")) {
        lora = true;
        loraXl |= k.startsWith("lora_te2_") || k.startsWith("lora_te1_") || k.contains("text_encoder_2.");
      }
    }
    String base = metadata.getOrDefault("ss_base_model_version", "") + metadata.getOrDefault("modelspec.architecture", "");
    if (lora) {
      return loraXl || base.toLowerCase(java.util.Locale.ROOT).contains("xl") ? SDXL_LORA : LORA;
    }
    if (any(w, "control_model.") || any(w, "controlnet_cond_embedding.") || any(w, "input_hint_block.")) {
      return CONTROLNET;
    }
    if (any(w, "conditioner.embedders.") || w.has("model.diffusion_model.label_emb.0.0.weight")) {
      return SDXL_CHECKPOINT;
    }
    if (any(w, "model.diffusion_model.joint_blocks.") || any(w, "joint_blocks.")) {
      return SD3_CHECKPOINT;
    }
    if (w.names().stream().anyMatch(k -> k.contains("double_blocks.") && k.contains("img_attn"))) {
      return FLUX_CHECKPOINT;
    }
    if (any(w, "cond_stage_model.model.") || crossWidth(w).filter(d -> d == 1024).isPresent()) {
      return SD2_CHECKPOINT;
    }
    if (any(w, LdmNames.UNET)) {
      return SD1_CHECKPOINT;
    }
    if (w.has("emb_params") || any(w, "string_to_param") || w.has("clip_l")
        || (w.size() <= 2 && w.names().stream().allMatch(k -> k.startsWith("emb") || k.equals("clip_l")))) {
      return EMBEDDING;
    }
    if (any(w, "encoder.conv_in.") && any(w, "decoder.conv_in.")) {
      return VAE_ONLY;
    }
    if (any(w, "down_blocks.") && any(w, "conv_in.") && any(w, "time_embedding.")) {
      return DIFFUSERS_UNET;
    }
    return UNKNOWN;
  }

  private static boolean any(WeightSet w, String prefix) {
    return w.names().stream().anyMatch(k -> k.startsWith(prefix));
  }

  private static Optional<Long> crossWidth(WeightSet w) {
    return w.find("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight")
        .or(() -> w.find("model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight"))
        .map(t -> t.dim(-1));
  }

  /** What to do with a file of this kind that was given as a checkpoint. */
  public String advice() {
    return switch (this) {
      case LORA -> "load it with a LoRA loader node on top of an SD1.x checkpoint";
      case SDXL_LORA -> "it needs an SDXL checkpoint, which Latent Studio does not run yet";
      case CONTROLNET -> "load it with a ControlNet loader node";
      case IP_ADAPTER -> "load it with an IP-Adapter loader node";
      case EMBEDDING -> "textual-inversion embeddings are not supported yet";
      case VAE_ONLY -> "a standalone VAE cannot be loaded as a checkpoint; use a full SD1.x checkpoint";
      case DIFFUSERS_UNET -> "point the loader at the whole diffusers folder (with model_index.json)";
      default -> "Latent Studio runs Stable Diffusion 1.x checkpoints (SD1.4, SD1.5 and their fine-tunes), as "
          + "single .safetensors files, diffusers folders or ONNX folders";
    };
  }
}
