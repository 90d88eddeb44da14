package org.latentstudio.runtime;

import java.nio.file.Path;
import org.latentstudio.diffusion.SchedulerConfig;

/**
 * A Stable Diffusion 1.x model ready to run, whatever the user's files were: an ONNX folder, a diffusers folder
 * or a single-file checkpoint. Its parts are {@link ModelSource}s the runtime loads on use.
 *
 * @param root         the file or folder the user gave
 * @param format       "ONNX folder", "diffusers folder", "single-file checkpoint"
 * @param text         the text encoder, per CLIP layer to stop at
 * @param vaeEncoder   null when the model has none (text-to-image still works)
 * @param tokenizerDir vocab.json and merges.txt, or null for the bundled CLIP vocabulary
 * @param vaeDownscale pixels per latent cell along a side: 2^(VAE levels − 1), 8 for SD1.5
 * @param textHidden   the text encoder's width, or null if unknown before loading
 * @param crossAttnDim the UNet's cross-attention width, or null if unknown before loading
 * @param textVocabSize how many token ids the text encoder embeds, or null if unknown before loading
 * @param preview      latent-to-RGB factors shipped with the model, or null
 * @param compiledUnet the UNet's architecture and variants when compiled from weights; null for ONNX folders,
 *                     whose fixed graphs take no ControlNet or IP-Adapter inputs
 */
public record SdModel(Path root, String format, TextEncoders text, ModelSource unet, ModelSource vaeDecoder,
    ModelSource vaeEncoder, Path tokenizerDir, SchedulerConfig scheduler, float vaeScalingFactor, int vaeDownscale,
    Integer textHidden, Integer crossAttnDim, Integer textVocabSize, LatentPreviewFactors preview,
    CompiledUNet compiledUnet) {

  /** The text encoder's variants: ComfyUI's CLIPSetLastLayer picks the layer whose output is used. */
  @FunctionalInterface
  public interface TextEncoders {
    /** @param stopAtLayer -1 for the last layer, -2 for the one before ("CLIP skip 2"), ... */
    ModelSource stoppingAt(int stopAtLayer) throws ModelException;
  }

  public String name() {
    String n = root.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && !java.nio.file.Files.isDirectory(root) ? n.substring(0, dot) : n;
  }

  /** The text encoder using every layer. */
  public ModelSource textEncoder() throws ModelException {
    return text.stoppingAt(-1);
  }

  /** The factors for live previews: the model's own, else SD1.5's. */
  public LatentPreviewFactors previewFactors() {
    return preview != null ? preview : LatentPreviewFactors.SD15;
  }
}
