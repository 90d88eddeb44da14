package org.latentstudio.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.DiffusersFolder;
import org.latentstudio.checkpoint.SdCheckpoint;
import org.latentstudio.checkpoint.SingleFileCheckpoint;
import org.latentstudio.compiler.CompileOptions;

/**
 * Opens whatever the user points a checkpoint loader at: a single-file checkpoint ({@code .safetensors},
 * {@code .ckpt}), a diffusers folder, or an optimum ONNX folder. Files are compiled to ONNX graphs on first
 * load; ONNX folders load as they are.
 */
public final class SdModels {
  /** The file types that can hold a whole checkpoint. */
  public static final Set<String> CHECKPOINT_EXTENSIONS = Set.of(".safetensors", ".ckpt", ".pt", ".pth", ".bin");

  static final String KINDS = "a checkpoint is a .safetensors (or .ckpt) file, a diffusers folder (model_index.json "
      + "with unet/, text_encoder/, vae/), or an ONNX folder in the optimum layout";

  private SdModels() {}

  /**
   * @param config a diffusers folder or an LDM .yaml whose settings apply to a single-file checkpoint, or null
   */
  public static SdModel open(Path path, Path config, GraphCache cache, CompileOptions options)
      throws ModelException {
    Path p = path.toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(p)) {
        if (config != null) {
          throw new ModelException("a config (" + config + ") applies to single-file checkpoints; " + p + " is a "
              + "folder with configs of its own");
        }
        if (Files.isRegularFile(p.resolve("unet/model.onnx"))) {
          return ModelFolder.open(p).toModel();
        }
        if (DiffusersFolder.looksLike(p)) {
          return CompiledCheckpoint.of(DiffusersFolder.read(p), cache, options, preview(p));
        }
        if (!Files.isRegularFile(p.resolve("model_index.json"))) {
          throw new ModelException(p + " is a folder but not a checkpoint (it has no model_index.json); " + KINDS);
        }
        return ModelFolder.open(p).toModel(); // reports what the ONNX layout lacks
      }
      if (Files.isRegularFile(p)) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (CHECKPOINT_EXTENSIONS.stream().noneMatch(name::endsWith)) {
          throw new ModelException(p + " is not a checkpoint: " + KINDS);
        }
        if (config != null && !Files.exists(config)) {
          throw new ModelException("the config " + config + " does not exist; give a diffusers folder or an LDM "
              + ".yaml, or leave it empty");
        }
        SdCheckpoint c = SingleFileCheckpoint.read(p, config);
        return CompiledCheckpoint.of(c, cache, options, null);
      }
      throw new ModelException("checkpoint " + p + " does not exist; " + KINDS);
    } catch (CheckpointException e) {
      throw new ModelException(e.getMessage(), e);
    }
  }

  private static LatentPreviewFactors preview(Path root) throws ModelException {
    Path f = root.resolve("preview/latent_rgb_factors.json");
    return Files.isRegularFile(f) ? LatentPreviewFactors.read(f) : null;
  }
}
