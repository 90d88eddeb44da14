package org.latentstudio.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightSet;

/**
 * A CLIP vision encoder read from the user's files, under transformers' {@code CLIPVisionModelWithProjection}
 * names ({@code vision_model.*}, {@code visual_projection.weight}): h94's {@code image_encoder/} folder
 * ({@code config.json} and {@code model.safetensors}), or a single file as ComfyUI's {@code clip_vision} folder holds
 * them, whose shape comes from its tensors (with ComfyUI's rule for the activation: quick_gelu for OpenAI's
 * 1024-wide ViT-L, gelu for OpenCLIP's).
 */
public record ClipVisionCheckpoint(Path origin, ClipVisionConfig config, WeightSet weights, Path folder) {
  private static final Pattern LAYER = Pattern.compile("vision_model\\.encoder\\.layers\\.(\\d+)\\..*");

  public static ClipVisionCheckpoint read(Path path) throws CheckpointException {
    Path p = path.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      Path cfg = p.resolve("config.json");
      if (!Files.isRegularFile(cfg)) {
        throw new CheckpointException(p + " has no config.json; a CLIP vision encoder is a folder like h94's "
            + "image_encoder/ (config.json and model.safetensors) or a single .safetensors file");
      }
      ClipVisionConfig config = ClipVisionConfig.read(ConfigReader.json(cfg));
      Path file = DiffusersFolder.weightFile(p);
      WeightSet w = WeightFiles.open(file);
      requireVision(file, w);
      return new ClipVisionCheckpoint(p, config, w, p);
    }
    if (!Files.isRegularFile(p)) {
      throw new CheckpointException("CLIP vision encoder " + p + " does not exist");
    }
    if (Files.isRegularFile(p.resolveSibling("config.json"))) {
      return read(p.getParent());
    }
    WeightSet w = WeightFiles.open(p);
    requireVision(p, w);
    return new ClipVisionCheckpoint(p, inferred(w, p.toString()), w, p.getParent());
  }

  private static void requireVision(Path file, WeightSet w) throws CheckpointException {
    if (!w.has("vision_model.embeddings.patch_embedding.weight") || !w.has("visual_projection.weight")) {
      ModelFileKind kind = ModelFileKind.of(w, java.util.Map.of());
      throw new CheckpointException(file + " is not a CLIP vision encoder with a projection (no "
          + "vision_model.embeddings.patch_embedding.weight or visual_projection.weight"
          + (kind != ModelFileKind.UNKNOWN ? "; it is " + kind.description() : "") + "). IP-Adapters need the "
          + "image encoder they were trained with, e.g. h94's models/image_encoder folder");
    }
  }

  private static ClipVisionConfig inferred(WeightSet w, String origin) throws CheckpointException {
    StoredTensor patch = w.find("vision_model.embeddings.patch_embedding.weight").orElseThrow();
    StoredTensor pos = w.find("vision_model.embeddings.position_embedding.weight").orElseThrow(
        () -> new CheckpointException(origin + " lacks vision_model.embeddings.position_embedding.weight"));
    int hidden = (int) patch.dim(0);
    int p = (int) patch.dim(2);
    int side = (int) Math.round(Math.sqrt(pos.dim(0) - 1));
    TreeSet<Integer> layers = new TreeSet<>();
    for (String k : w.names()) {
      Matcher m = LAYER.matcher(k);
      if (m.matches()) {
        layers.add(Integer.parseInt(m.group(1)));
      }
    }
    if (layers.isEmpty() || hidden % 64 != 0) {
      throw new CheckpointException(origin + " has " + (layers.isEmpty() ? "no encoder layers" : "a width of "
          + hidden + ", which is not a whole number of 64-wide heads") + "; give its folder with config.json");
    }
    long inner = w.find("vision_model.encoder.layers.0.mlp.fc1.weight").orElseThrow().dim(0);
    long projection = w.find("visual_projection.weight").orElseThrow().dim(0);
    return new ClipVisionConfig(hidden, (int) inner, layers.last() + 1, hidden / 64, side * p, p,
        (int) patch.dim(1), (int) projection, 1e-5, hidden == 1024);
  }
}
