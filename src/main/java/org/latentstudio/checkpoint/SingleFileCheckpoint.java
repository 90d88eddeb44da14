package org.latentstudio.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.latentstudio.diffusion.SchedulerConfig;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.WeightFileException;
import org.latentstudio.weights.WeightSet;

/**
 * An original (CompVis/LDM) single-file SD1.x checkpoint: the UNet under {@code model.diffusion_model.}, the VAE
 * under {@code first_stage_model.}, the CLIP text encoder under {@code cond_stage_model.transformer.}. The
 * architecture is read from the tensors; what they cannot tell (heads, norm groups, the scheduler, the
 * tokenizer) comes from the {@code config} the user gives (a diffusers folder, as diffusers'
 * {@code from_single_file(config=...)} takes, or an LDM {@code .yaml}), else from a {@code .yaml} of the same name
 * beside the file (as A1111 does), else SD1.5's values. Other files (SD2, SDXL, LoRA, ControlNet...) are
 * recognised and refused by name.
 */
public final class SingleFileCheckpoint {
  private SingleFileCheckpoint() {}

  /**
   * @param config a diffusers folder or an LDM .yaml, or null
   */
  public static SdCheckpoint read(Path file, Path config) throws CheckpointException {
    Path abs = file.toAbsolutePath().normalize();
    WeightSet all;
    Map<String, String> metadata = Map.of();
    String name = abs.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".safetensors")) {
      try {
        SafetensorsFile f = SafetensorsFile.open(abs);
        all = f.tensors();
        metadata = f.metadata();
      } catch (WeightFileException e) {
        throw new CheckpointException(e.getMessage(), e);
      }
    } else {
      all = WeightFiles.open(abs);
    }
    ModelFileKind kind = ModelFileKind.of(all, metadata);
    if (kind != ModelFileKind.SD1_CHECKPOINT) {
      throw new CheckpointException(abs + " is " + kind.description() + ", not a Stable Diffusion 1.x checkpoint: "
          + kind.advice() + (kind == ModelFileKind.UNKNOWN ? ". Its tensors begin with "
          + LdmArchitecture.firstNames(all, 3) : ""));
    }
    String origin = abs.toString();
    WeightSet unetLdm = all.withPrefix(LdmNames.UNET);
    WeightSet vaeLdm = all.withPrefix(LdmNames.VAE);
    WeightSet text = all.withPrefix(LdmNames.CLIP).rename(LdmNames::clip);
    if (vaeLdm.size() == 0 || text.size() == 0) {
      throw new CheckpointException(abs + " holds a UNet but no " + (vaeLdm.size() == 0 ? "VAE (first_stage_model.*)"
          : "text encoder (cond_stage_model.transformer.*)") + "; Latent Studio needs a full checkpoint with its "
          + "UNet, VAE and text encoder");
    }
    int layers = LdmArchitecture.unetLayersPerBlock(unetLdm, origin);
    WeightSet unet = unetLdm.rename(k -> LdmNames.unet(k, layers));
    int levels = (int) vaeLdm.names().stream().filter(k -> k.matches("encoder\\.down\\.\\d+\\.block\\.0\\.conv1\\.weight"))
        .count();
    WeightSet vae = vaeLdm.rename(k -> LdmNames.vae(k, levels));

    Path cfg = config != null ? config.toAbsolutePath().normalize() : besideYaml(abs);
    Path folder = abs.getParent();
    if (cfg != null && Files.isDirectory(cfg)) {
      return withDiffusersConfig(abs, cfg, text, unet, vae, folder);
    }
    LdmYaml yaml = cfg != null ? LdmYaml.read(cfg) : null;
    UNetConfig inferred = LdmArchitecture.unet(unetLdm, null, 32, origin);
    int[] heads = yaml != null ? yaml.heads(inferred.blockOutChannels()) : null;
    UNetConfig unetConfig = heads == null ? inferred : LdmArchitecture.unet(unetLdm, heads, 32, origin);
    VaeConfig vaeConfig = LdmArchitecture.vae(vaeLdm, 32, yaml != null ? yaml.scaleFactor() : VaeConfig.SD15_SCALING,
        origin);
    ClipTextConfig textConfig = LdmArchitecture.clip(text, 12, true, origin);
    SchedulerConfig scheduler = yaml != null
        ? Sd15Defaults.scheduler(yaml.linearStart(), yaml.linearEnd(), yaml.prediction()) : Sd15Defaults.scheduler();
    SdCheckpoint c = new SdCheckpoint(abs, "single-file checkpoint", new SdCheckpoint.Part<>(textConfig, text, folder,
        origin), new SdCheckpoint.Part<>(unetConfig, unet, folder, origin),
        new SdCheckpoint.Part<>(vaeConfig, vae, folder, origin), null, scheduler);
    c.checkTextWidth();
    return c;
  }

  /** A1111's convention: {@code model.safetensors} uses {@code model.yaml} beside it. */
  static Path besideYaml(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    Path yaml = file.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".yaml");
    return Files.isRegularFile(yaml) ? yaml : null;
  }

  /** The configs, tokenizer and scheduler of a diffusers folder applied to this file's weights. */
  private static SdCheckpoint withDiffusersConfig(Path file, Path dir, WeightSet text, WeightSet unet, WeightSet vae,
      Path folder) throws CheckpointException {
    String origin = file.toString();
    UNetConfig u = UNetConfig.read(ConfigReader.json(configFile(dir, "unet")));
    ClipTextConfig t = ClipTextConfig.read(ConfigReader.json(configFile(dir, "text_encoder")));
    VaeConfig v = VaeConfig.read(ConfigReader.json(configFile(dir, "vae")));
    Path tokenizer = Files.isRegularFile(dir.resolve("tokenizer/vocab.json")) ? dir.resolve("tokenizer") : null;
    SdCheckpoint c = new SdCheckpoint(file, "single-file checkpoint", new SdCheckpoint.Part<>(t, text, folder, origin),
        new SdCheckpoint.Part<>(u, unet, folder, origin), new SdCheckpoint.Part<>(v, vae, folder, origin), tokenizer,
        DiffusersFolder.scheduler(dir));
    c.checkTextWidth();
    return c;
  }

  private static Path configFile(Path dir, String component) throws CheckpointException {
    Path p = dir.resolve(component).resolve("config.json");
    if (!Files.isRegularFile(p)) {
      throw new CheckpointException("the config folder " + dir + " has no " + component + "/config.json; give a "
          + "diffusers folder (with unet/, text_encoder/ and vae/ configs) or an LDM .yaml");
    }
    return p;
  }
}
