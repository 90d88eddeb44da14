package org.latentstudio.interop.comfy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ComfyUI core nodes this studio runs, with their inputs in ComfyUI's order (nodes.py, comfy_extras), and
 * the node types here that do the same, and those of the community packs we follow (ComfyUI_IPAdapter_plus).
 * Adding a node means adding one entry to {@link #CORE}. Inputs we have and ComfyUI lacks (the sampler's eta, say) are not
 * listed: a UI workflow keeps them in the node's properties, an API prompt under our name, which ComfyUI ignores.
 */
public final class ComfyNodeMap {
  /** ComfyUI's sampler inputs, shared by both samplers. */
  private static ComfyNode.Builder samplerCore(ComfyNode.Builder b) {
    return b.widget("steps", "INT").widget("cfg", "FLOAT").widget("sampler_name", "COMBO")
        .widget("scheduler", "scheduler", "COMBO", ValueMapping.SCHEDULER)
        .link("positive", "CONDITIONING").link("negative", "CONDITIONING").link("latent_image", "LATENT");
  }

  public static final List<ComfyNode> CORE = List.of(
      ComfyNode.of("CheckpointLoaderSimple", "CheckpointLoader", "Load Checkpoint")
          .widget("ckpt_name", "path", "COMBO", ValueMapping.CHECKPOINT)
          .outputs("MODEL", "CLIP", "VAE").build(),
      ComfyNode.of("LoraLoader", "LoraLoader", "Load LoRA")
          .link("model", "MODEL").link("clip", "CLIP")
          .widget("lora_name", "lora_name", "COMBO", ValueMapping.MODEL_FILE)
          .widget("strength_model", "FLOAT").widget("strength_clip", "FLOAT")
          .outputs("MODEL", "CLIP").build(),
      ComfyNode.of("LoraLoaderModelOnly", "LoraLoaderModelOnly", "LoraLoaderModelOnly")
          .link("model", "MODEL").widget("lora_name", "lora_name", "COMBO", ValueMapping.MODEL_FILE)
          .widget("strength_model", "FLOAT")
          .outputs("MODEL").build(),
      ComfyNode.of("ControlNetLoader", "ControlNetLoader", "Load ControlNet Model")
          .widget("control_net_name", "control_net_name", "COMBO", ValueMapping.MODEL_FILE)
          .outputs("CONTROL_NET").build(),
      ComfyNode.of("ControlNetApplyAdvanced", "ControlNetApplyAdvanced", "Apply ControlNet")
          .link("positive", "CONDITIONING").link("negative", "CONDITIONING").link("control_net", "CONTROL_NET")
          .link("image", "IMAGE").widget("strength", "FLOAT").widget("start_percent", "FLOAT")
          .widget("end_percent", "FLOAT")
          .output("CONDITIONING", "positive").output("CONDITIONING", "negative").build(),
      ComfyNode.of("ControlNetApply", "ControlNetApply", "Apply ControlNet (OLD)")
          .link("conditioning", "CONDITIONING").link("control_net", "CONTROL_NET").link("image", "IMAGE")
          .widget("strength", "FLOAT")
          .outputs("CONDITIONING").build(),
      ComfyNode.of("Canny", "Canny", "Canny")
          .link("image", "IMAGE").widget("low_threshold", "FLOAT").widget("high_threshold", "FLOAT")
          .outputs("IMAGE").build(),
      ComfyNode.of("ImageInvert", "ImageInvert", "Invert Image")
          .link("image", "IMAGE").outputs("IMAGE").build(),
      ComfyNode.of("CLIPVisionLoader", "CLIPVisionLoader", "Load CLIP Vision")
          .widget("clip_name", "clip_name", "COMBO", ValueMapping.MODEL_FILE)
          .outputs("CLIP_VISION").build(),
      ComfyNode.of("IPAdapterModelLoader", "IPAdapterModelLoader", "IPAdapter Model Loader")
          .widget("ipadapter_file", "ipadapter_file", "COMBO", ValueMapping.MODEL_FILE)
          .outputs("IPADAPTER").build(),
      // one reference picture: every combine_embeds gives that picture's embedding; the adapter scales V only
      ComfyNode.of("IPAdapterAdvanced", "IPAdapterAdvanced", "IPAdapter Advanced")
          .link("model", "MODEL").link("ipadapter", "IPADAPTER").link("image", "IMAGE")
          .widget("weight", "FLOAT").widget("weight_type", "COMBO").fixed("combine_embeds", "concat")
          .widget("start_at", "FLOAT").widget("end_at", "FLOAT").fixed("embeds_scaling", "V only")
          .link("clip_vision", "CLIP_VISION")
          .outputs("MODEL").build(),
      ComfyNode.of("CLIPTextEncode", "CLIPTextEncode", "CLIP Text Encode (Prompt)")
          .widget("text", "STRING").link("clip", "CLIP")
          .outputs("CONDITIONING").build(),
      samplerCore(ComfyNode.of("KSampler", "KSampler", "KSampler")
          .link("model", "MODEL").seed("seed", "seed"))
          .widget("denoise", "FLOAT")
          .outputs("LATENT").build(),
      samplerCore(ComfyNode.of("KSamplerAdvanced", "KSamplerAdvanced", "KSampler (Advanced)")
          .link("model", "MODEL").widget("add_noise", "add_noise", "COMBO", ValueMapping.ENABLE_DISABLE)
          .seed("noise_seed", "seed"))
          .widget("start_at_step", "INT").widget("end_at_step", "INT")
          .widget("return_with_leftover_noise", "return_with_leftover_noise", "COMBO", ValueMapping.ENABLE_DISABLE)
          .outputs("LATENT").build(),
      ComfyNode.of("EmptyLatentImage", "EmptyLatentImage", "Empty Latent Image")
          .widget("width", "INT").widget("height", "INT").widget("batch_size", "INT")
          .outputs("LATENT").build(),
      ComfyNode.of("LatentUpscale", "LatentUpscale", "Upscale Latent")
          .link("samples", "LATENT").widget("upscale_method", "COMBO").widget("width", "INT")
          .widget("height", "INT").widget("crop", "COMBO")
          .outputs("LATENT").build(),
      ComfyNode.of("SetLatentNoiseMask", "SetLatentNoiseMask", "Set Latent Noise Mask")
          .link("samples", "LATENT").link("mask", "MASK")
          .outputs("LATENT").build(),
      ComfyNode.of("VAEDecode", "VAEDecode", "VAE Decode")
          .link("samples", "LATENT").link("vae", "VAE")
          .outputs("IMAGE").build(),
      ComfyNode.of("VAEEncode", "VAEEncode", "VAE Encode")
          .link("pixels", "IMAGE").link("vae", "VAE")
          .outputs("LATENT").build(),
      ComfyNode.of("LoadImage", "LoadImage", "Load Image")
          .widget("image", "COMBO").frontEndWidget("upload", "image")
          .outputs("IMAGE", "MASK").build(),
      ComfyNode.of("SaveImage", "SaveImage", "Save Image")
          .link("images", "IMAGE").widget("filename_prefix", "STRING").build(),
      ComfyNode.of("PreviewImage", "PreviewImage", "Preview Image")
          .link("images", "IMAGE").build(),
      ComfyNode.of("PrimitiveInt", "PrimitiveInt", "Int")
          .seed("value", "value").outputs("INT").build(),
      ComfyNode.of("PrimitiveFloat", "PrimitiveFloat", "Float")
          .widget("value", "FLOAT").outputs("FLOAT").build(),
      ComfyNode.of("PrimitiveString", "PrimitiveString", "String")
          .widget("value", "STRING").outputs("STRING").build(),
      ComfyNode.of("PrimitiveBoolean", "PrimitiveBoolean", "Boolean")
          .widget("value", "BOOLEAN").outputs("BOOLEAN").build(),
      ComfyNode.of("Note", "Note", "Note")
          .widget("text", "STRING").build());

  /**
   * ComfyUI types that load as one of ours but are written back as the first entry for that type: the legacy
   * checkpoint loader (its config_name is ignored), the multi-line string and the Markdown note.
   */
  private static final List<ComfyNode> ALIASES = List.of(
      ComfyNode.of("CheckpointLoader", "CheckpointLoader", "Load Checkpoint With Config (DEPRECATED)")
          .frontEndWidget("config_name", "v1-inference.yaml")
          .widget("ckpt_name", "path", "COMBO", ValueMapping.CHECKPOINT)
          .outputs("MODEL", "CLIP", "VAE").build(),
      ComfyNode.of("PrimitiveStringMultiline", "PrimitiveString", "String (Multiline)")
          .widget("value", "STRING").outputs("STRING").build(),
      ComfyNode.of("MarkdownNote", "Note", "Markdown Note")
          .widget("text", "STRING").build());

  private static final Map<String, ComfyNode> BY_COMFY = new LinkedHashMap<>();
  private static final Map<String, ComfyNode> BY_OURS = new LinkedHashMap<>();

  static {
    for (ComfyNode n : CORE) {
      BY_COMFY.put(n.comfyType(), n);
      BY_OURS.putIfAbsent(n.ourType(), n);
    }
    for (ComfyNode n : ALIASES) {
      BY_COMFY.put(n.comfyType(), n);
    }
  }

  private ComfyNodeMap() {}

  public static Optional<ComfyNode> byComfyType(String comfyType) {
    return Optional.ofNullable(BY_COMFY.get(comfyType));
  }

  public static Optional<ComfyNode> byOurType(String ourType) {
    return Optional.ofNullable(BY_OURS.get(ourType));
  }

  /** ComfyUI's front-end-only types: they exist in UI workflows, never in API prompts. */
  public static boolean isFrontEndOnly(String comfyType) {
    return comfyType.equals("Reroute") || comfyType.equals("Note") || comfyType.equals("MarkdownNote")
        || comfyType.equals("PrimitiveNode");
  }
}
