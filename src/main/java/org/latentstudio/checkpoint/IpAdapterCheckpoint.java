package org.latentstudio.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightSet;

/**
 * An IP-Adapter in h94's single-file format: {@code image_proj.proj} (Linear, CLIP image embedding → tokens ×
 * cross width) and {@code image_proj.norm} (LayerNorm), and per cross-attention layer
 * {@code ip_adapter.<n>.to_k_ip.weight} / {@code to_v_ip.weight}. The "plus", "full face" and "FaceID" variants
 * are recognised by their tensors and refused by name.
 *
 * @param tokens        image tokens the projection makes (4)
 * @param crossDim      the text width the UNet attends to (768 for SD1.x)
 * @param embeddingDim  the CLIP image embedding width it projects (1024 for h94's ViT-H encoder)
 */
public record IpAdapterCheckpoint(Path origin, WeightSet weights, int tokens, int crossDim, int embeddingDim) {

  public static IpAdapterCheckpoint read(Path path) throws CheckpointException {
    Path p = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new CheckpointException("IP-Adapter " + p + " " + (Files.isDirectory(p) ? "is a folder; give the "
          + "adapter's .safetensors file (e.g. ip-adapter_sd15.safetensors)" : "does not exist"));
    }
    WeightSet w = WeightFiles.open(p);
    ModelFileKind kind = ModelFileKind.of(w, java.util.Map.of());
    if (kind != ModelFileKind.IP_ADAPTER) {
      throw new CheckpointException(p + " is " + kind.description() + ", not an IP-Adapter. Give "
          + "IPAdapterModelLoader an adapter file such as ip-adapter_sd15.safetensors");
    }
    String variant = unsupportedVariant(w);
    if (variant != null) {
      throw new CheckpointException(p + " is " + variant + ", which Latent Studio does not run yet; it runs the base "
          + "IP-Adapter (ip-adapter_sd15.safetensors, ip-adapter_sd15_light.safetensors)");
    }
    StoredTensor proj = require(w, "image_proj.proj.weight", p);
    StoredTensor k = require(w, "ip_adapter.1.to_k_ip.weight", p);
    int cross = (int) k.dim(1);
    if (cross == 2048) {
      throw new CheckpointException(p + " is an SDXL IP-Adapter (2048-wide cross-attention); Latent Studio runs "
          + "SD1.x models and their adapters");
    }
    if (proj.rank() != 2 || proj.dim(0) % cross != 0) {
      throw new CheckpointException(p + ": image_proj.proj.weight is " + java.util.Arrays.toString(proj.shape())
          + ", which does not make whole " + cross + "-wide tokens; the file is damaged or of another kind");
    }
    return new IpAdapterCheckpoint(p, w, (int) (proj.dim(0) / cross), cross, (int) proj.dim(1));
  }

  /** The variants h94 and others publish that need more than a linear projection of one embedding. */
  static String unsupportedVariant(WeightSet w) {
    if (w.names().stream().anyMatch(n -> n.contains("_lora.") || n.contains("perceiver_resampler."))
        || (w.has("image_proj.proj.0.weight") && w.has("image_proj.proj.2.weight") && !w.has("image_proj.proj.3.weight"))) {
      return "an IP-Adapter FaceID model (it needs InsightFace face embeddings)";
    }
    if (w.has("image_proj.proj.3.weight")) {
      return "an IP-Adapter Full Face model (ip-adapter-full-face)";
    }
    if (w.has("image_proj.latents") || w.has("image_proj.proj_in.weight")) {
      return "an IP-Adapter Plus model (a Resampler over the image encoder's hidden states)";
    }
    return null;
  }

  /** The adapter's weights for the UNet's cross-attention layers: {@code ip_adapter.<n>.to_k_ip/to_v_ip}. */
  public WeightSet layerWeights() {
    return weights.rename(n -> n.startsWith("ip_adapter.") ? n : null);
  }

  /** The image projection's weights: {@code image_proj.*}. */
  public WeightSet projectionWeights() {
    return weights.rename(n -> n.startsWith("image_proj.") ? n : null);
  }

  /**
   * Refuses an adapter made for another UNet: one pair of projections per cross-attention layer, each as wide as
   * its layer.
   *
   * @param layers the UNet's cross-attention layers: (h94 file key, width)
   */
  public void checkFits(List<long[]> layers, int unetCross, String baseName) throws CheckpointException {
    if (unetCross != crossDim) {
      throw new CheckpointException(origin + " is an IP-Adapter for " + crossDim + "-wide cross-attention, but "
          + baseName + "'s UNet attends to " + unetCross + "-wide text: use an adapter made for this base model");
    }
    long expected = layers.size();
    long present = weights.names().stream().filter(n -> n.endsWith(".to_k_ip.weight")).count();
    for (long[] layer : layers) {
      StoredTensor k = weights.find("ip_adapter." + layer[0] + ".to_k_ip.weight").orElse(null);
      if (k == null || k.dim(0) != layer[1] || present != expected) {
        throw new CheckpointException(origin + " has " + present + " cross-attention layers, but " + baseName + "'s "
            + "UNet has " + expected + (k != null && k.dim(0) != layer[1] ? " (layer ip_adapter." + layer[0] + " is "
            + k.dim(0) + " wide, the UNet's " + layer[1] + ")" : "") + ": the adapter was made for another base "
            + "model");
      }
    }
  }

  /** An image encoder whose embedding is not the width the projection takes would give garbage tokens. */
  public void checkEncoder(ClipVisionCheckpoint encoder) throws CheckpointException {
    if (encoder.config().projectionDim() != embeddingDim) {
      throw new CheckpointException("the CLIP vision encoder " + encoder.origin() + " makes "
          + encoder.config().projectionDim() + "-wide image embeddings, but the IP-Adapter " + origin + " projects "
          + embeddingDim + "-wide ones: use the image encoder the adapter was trained with (h94's "
          + "models/image_encoder, ViT-H/14, for ip-adapter_sd15)");
    }
  }

  private static StoredTensor require(WeightSet w, String name, Path file) throws CheckpointException {
    return w.find(name).orElseThrow(() -> new CheckpointException(file + " lacks " + name + ", which the IP-Adapter "
        + "format has; the file is incomplete or of another kind"));
  }
}
