package org.latentstudio.lora;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a LoRA that fits none of a model's weights was made for, from its metadata and the widths of its layers:
 * cross-attention that reads 768-wide text is Stable Diffusion 1.x, 1024 is 2.x, 2048 is SDXL.
 */
final class LoraGuess {
  private static final Pattern TEXT_LAYER = Pattern.compile("layers[._](\\d+)[._]");

  private LoraGuess() {}

  static String explain(LoraFile file, LoraTargets unet, LoraTargets text) {
    Optional<Long> loraWidth = crossWidth(file);
    Optional<Long> modelWidth = unet.width();
    String base = baseModel(file.metadata());
    if (base != null) {
      return "its metadata says it was trained on " + base + widths(loraWidth, modelWidth)
          + "; use it with a checkpoint of that family";
    }
    if (loraWidth.isPresent()) {
      String family = family(loraWidth.get(), textLayers(file));
      if (modelWidth.isPresent() && !modelWidth.get().equals(loraWidth.get())) {
        return "it looks made for " + family + widths(loraWidth, modelWidth) + "; use it with a checkpoint of "
            + "that family";
      }
      return "it looks made for " + family + ", but its layer names are not ones this model has";
    }
    return "its layer names are not ones this model has (a LoRA made for another architecture, or for a "
        + "model part Latent Studio does not run)";
  }

  private static String widths(Optional<Long> lora, Optional<Long> model) {
    if (lora.isEmpty() || model.isEmpty()) {
      return "";
    }
    return " (its cross-attention reads " + lora.get() + "-wide text, this model's " + model.get() + "-wide)";
  }

  /** The text width the LoRA's cross-attention keys and values read, or its text encoder's width. */
  static Optional<Long> crossWidth(LoraFile file) {
    for (LoraLayer l : file.layers()) {
      String m = l.module();
      if (l.part() == LoraPart.UNET && m.contains("attn2") && (m.endsWith("to_k") || m.endsWith("to_v"))) {
        return Optional.of(l.down().dim(1));
      }
    }
    for (LoraLayer l : file.layers()) {
      if (l.part() == LoraPart.TEXT_ENCODER && l.module().endsWith("q_proj")) {
        return Optional.of(l.down().dim(1));
      }
    }
    return Optional.empty();
  }

  private static int textLayers(LoraFile file) {
    int max = -1;
    for (LoraLayer l : file.layers()) {
      Matcher m = TEXT_LAYER.matcher(l.module());
      if (l.part() == LoraPart.TEXT_ENCODER && m.find()) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    return max + 1;
  }

  private static String family(long width, int textLayers) {
    if (width == 768 && textLayers <= 12) {
      return "Stable Diffusion 1.x (SD1.5-sized, 768-wide text)";
    }
    if (width == 1024 || textLayers > 12) {
      return "Stable Diffusion 2.x (OpenCLIP text encoder, 1024-wide text)";
    }
    if (width == 2048 || width == 1280) {
      return "SDXL";
    }
    return "a model with " + width + "-wide text";
  }

  private static String baseModel(Map<String, String> metadata) {
    String v = metadata.getOrDefault("ss_base_model_version", metadata.getOrDefault("modelspec.architecture", ""))
        .toLowerCase(Locale.ROOT);
    if (v.contains("v2") || v.contains("2.")) {
      return "Stable Diffusion 2.x (" + v + ")";
    }
    if (v.contains("v1") || v.contains("1.")) {
      return "Stable Diffusion 1.x (" + v + ")";
    }
    return null;
  }
}
