package org.latentstudio.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.latentstudio.diffusion.SchedulerConfig;
import org.latentstudio.weights.WeightFileException;
import org.latentstudio.weights.WeightSet;

/**
 * A diffusers pipeline folder ({@code model_index.json}; {@code unet/}, {@code text_encoder/}, {@code vae/} with
 * {@code config.json} and safetensors weights; {@code tokenizer/}; {@code scheduler/}), as
 * {@code StableDiffusionPipeline.save_pretrained} writes it and the Hugging Face hub serves it.
 */
public final class DiffusersFolder {
  static final Set<String> SD1_PIPELINES = Set.of("StableDiffusionPipeline", "StableDiffusionInpaintPipeline",
      "StableDiffusionImg2ImgPipeline", "OnnxStableDiffusionPipeline", "StableDiffusionControlNetPipeline");

  private DiffusersFolder() {}

  /** Whether {@code dir} looks like a diffusers folder with safetensors/bin weights (not an ONNX one). */
  public static boolean looksLike(Path dir) {
    return Files.isRegularFile(dir.resolve("model_index.json")) && Files.isDirectory(dir.resolve("unet"))
        && !Files.isRegularFile(dir.resolve("unet/model.onnx"));
  }

  public static SdCheckpoint read(Path dir) throws CheckpointException {
    Path root = dir.toAbsolutePath().normalize();
    ConfigReader index = ConfigReader.json(root.resolve("model_index.json"));
    String pipeline = index.choice("_class_name", "StableDiffusionPipeline", Set.of("StableDiffusionPipeline",
        "StableDiffusionInpaintPipeline", "StableDiffusionImg2ImgPipeline", "OnnxStableDiffusionPipeline",
        "StableDiffusionControlNetPipeline", "StableDiffusionXLPipeline", "StableDiffusion3Pipeline",
        "FluxPipeline", "StableDiffusionUpscalePipeline"));
    if (!SD1_PIPELINES.contains(pipeline)) {
      throw new CheckpointException(root + " is a " + pipeline + " folder; Latent Studio runs Stable Diffusion 1.x "
          + "models");
    }
    SdCheckpoint.Part<UNetConfig> unet = component(root, "unet", UNetConfig::read);
    SdCheckpoint.Part<ClipTextConfig> text = component(root, "text_encoder", ClipTextConfig::read);
    SdCheckpoint.Part<VaeConfig> vae = component(root, "vae", VaeConfig::read);
    vae = new SdCheckpoint.Part<>(vae.config(), renameDeprecatedAttention(vae.weights()), vae.folder(), vae.origin());
    Path tokenizer = Files.isRegularFile(root.resolve("tokenizer/vocab.json")) ? root.resolve("tokenizer") : null;
    SdCheckpoint c = new SdCheckpoint(root, "diffusers folder", text, unet, vae, tokenizer, scheduler(root));
    c.checkTextWidth();
    return c;
  }

  interface ConfigParser<C> {
    C parse(ConfigReader r) throws CheckpointException;
  }

  /** A component's config and weights, read from its subfolder. */
  static <C> SdCheckpoint.Part<C> component(Path root, String name, ConfigParser<C> parser)
      throws CheckpointException {
    Path folder = root.resolve(name);
    if (!Files.isDirectory(folder)) {
      throw new CheckpointException(root + " has no " + name + "/ folder; a Stable Diffusion diffusers folder has "
          + "unet/, text_encoder/ and vae/, each with config.json and its weights");
    }
    C config = parser.parse(ConfigReader.json(folder.resolve("config.json")));
    Path weights = weightFile(folder);
    return new SdCheckpoint.Part<>(config, WeightFiles.open(weights), folder, weights.toString());
  }

  /** The component's weights: the full-precision safetensors, else the fp16 variant, else sharded or .bin files. */
  static Path weightFile(Path folder) throws CheckpointException {
    List<String> preferred = List.of("diffusion_pytorch_model.safetensors", "model.safetensors",
        "diffusion_pytorch_model.fp16.safetensors", "model.fp16.safetensors",
        "diffusion_pytorch_model.safetensors.index.json", "model.safetensors.index.json",
        "diffusion_pytorch_model.bin", "pytorch_model.bin", "diffusion_pytorch_model.fp16.bin",
        "pytorch_model.fp16.bin");
    for (String name : preferred) {
      if (Files.isRegularFile(folder.resolve(name))) {
        return folder.resolve(name);
      }
    }
    String found;
    try (Stream<Path> files = Files.list(folder)) {
      found = files.map(p -> p.getFileName().toString()).sorted().toList().toString();
    } catch (IOException e) {
      found = "(unreadable: " + e.getMessage() + ")";
    }
    throw new CheckpointException(folder + " has no weights file; expected diffusion_pytorch_model.safetensors "
        + "(or model.safetensors for the text encoder, or their .fp16 variants); it holds " + found);
  }

  /** diffusers folders saved before 0.14 name the VAE's attention query/key/value/proj_attn. */
  static WeightSet renameDeprecatedAttention(WeightSet vae) {
    return vae.rename(k -> {
      if (!k.contains("mid_block.attentions.0.")) {
        return k;
      }
      return k.replace(".query.", ".to_q.").replace(".key.", ".to_k.").replace(".value.", ".to_v.")
          .replace(".proj_attn.", ".to_out.0.");
    });
  }

  static SchedulerConfig scheduler(Path root) throws CheckpointException {
    Path file = root.resolve("scheduler/scheduler_config.json");
    if (!Files.isRegularFile(file)) {
      return Sd15Defaults.scheduler();
    }
    return SchedulerConfigs.read(file);
  }
}
