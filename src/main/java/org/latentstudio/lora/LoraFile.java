package org.latentstudio.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.latentstudio.checkpoint.ModelFileKind;
import org.latentstudio.io.IoErrors;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightFileException;
import org.latentstudio.weights.WeightSet;

/**
 * A LoRA read from a {@code .safetensors} file: its layers, each a down and up matrix with an optional alpha, in
 * whichever key format the file uses ({@link LoraKeys}). Reading checks the header only; the tensors stay in the
 * file until a merge reads them. Files of the variants we do not apply (LoHa, LoKr, DoRA, SDXL, ...) and files that
 * are not LoRAs are refused by name.
 *
 * @param fingerprint path, size and modification time: a changed file is a different LoRA to every cache
 * @param format      "kohya", "diffusers/PEFT" or "diffusers (attention processors)", for messages
 * @param layers      the layers, in file order
 * @param otherKeys   tensors that are no LoRA weight (bundled embeddings, ...), reported as left out
 * @param metadata    the file's {@code __metadata__} (kohya's {@code ss_*} training settings, ...)
 */
public record LoraFile(Path path, String fingerprint, String format, List<LoraLayer> layers, List<String> otherKeys,
    Map<String, String> metadata) {

  public LoraFile {
    layers = List.copyOf(layers);
    otherKeys = List.copyOf(otherKeys);
    metadata = Map.copyOf(metadata);
  }

  /** The file name without its folder, for node labels. */
  public String name() {
    return path.getFileName().toString();
  }

  public static LoraFile read(Path file) throws LoraException {
    Path p = file.toAbsolutePath().normalize();
    if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
      throw new LoraException(p + " is not a .safetensors file: Latent Studio reads LoRAs from .safetensors only "
          + "(a .pt or .ckpt file can run code when loaded); convert it to .safetensors with kohya's or diffusers' "
          + "tools");
    }
    SafetensorsFile f;
    try {
      f = SafetensorsFile.open(p);
    } catch (WeightFileException e) {
      throw new LoraException("cannot read the LoRA " + e.getMessage(), e);
    }
    WeightSet w = f.tensors();
    ModelFileKind kind = ModelFileKind.of(w, f.metadata());
    if (kind == ModelFileKind.SDXL_LORA) {
      throw new LoraException(p + " is an SDXL LoRA (" + sdxlEvidence(w, f.metadata()) + "); it needs an SDXL "
          + "checkpoint, which Latent Studio does not run yet. Use a LoRA made for Stable Diffusion 1.x");
    }
    if (kind != ModelFileKind.LORA) {
      throw new LoraException(p + " is " + kind.description() + ", not a LoRA (a LoRA holds lora_down/lora_up or "
          + "lora_A/lora_B weights). " + switch (kind) {
            case SD1_CHECKPOINT, SD2_CHECKPOINT, SDXL_CHECKPOINT, SD3_CHECKPOINT, FLUX_CHECKPOINT ->
                "A whole model is loaded with Load Checkpoint";
            case DIFFUSERS_UNET -> "It is part of a diffusers folder: load the folder with Load Checkpoint";
            case UNKNOWN -> "Give a LoRA .safetensors file";
            default -> kind.advice().substring(0, 1).toUpperCase(Locale.ROOT) + kind.advice().substring(1);
          });
    }
    String variant = LoraKeys.unsupportedVariant(w.names());
    if (variant != null) {
      throw new LoraException(p + " is " + variant + ", which Latent Studio does not apply: it merges plain LoRA "
          + "and LoCon files (kohya lora_down/lora_up, diffusers/PEFT lora_A/lora_B). Use a plain LoRA of this "
          + "style, or convert it with LyCORIS' tools");
    }
    return new LoraFile(p, fingerprint(p), format(w), layers(w, p), otherKeys(w), f.metadata());
  }

  private static List<LoraLayer> layers(WeightSet w, Path p) throws LoraException {
    Map<String, StoredTensor[]> byLayer = new LinkedHashMap<>();
    for (StoredTensor t : w.byName().values()) {
      LoraKeys.Split s = LoraKeys.split(t.name());
      if (s.role() != null) {
        byLayer.computeIfAbsent(s.layer(), k -> new StoredTensor[3])[s.role().ordinal()] = t;
      }
    }
    List<LoraLayer> out = new ArrayList<>();
    for (Map.Entry<String, StoredTensor[]> e : byLayer.entrySet()) {
      StoredTensor down = e.getValue()[LoraKeys.Role.DOWN.ordinal()];
      StoredTensor up = e.getValue()[LoraKeys.Role.UP.ordinal()];
      StoredTensor alpha = e.getValue()[LoraKeys.Role.ALPHA.ordinal()];
      if (down == null || up == null) {
        throw new LoraException(p + ": layer " + e.getKey() + " has " + (down == null ? "an up weight but no down "
            + "weight" : "a down weight but no up weight") + "; the file is damaged or cut short: get it again");
      }
      checkPair(p, e.getKey(), down, up);
      out.add(LoraKeys.target(e.getKey(), down, up, alpha == null ? null : scalar(p, alpha)));
    }
    if (out.isEmpty()) {
      throw new LoraException(p + " holds no LoRA layers (no lora_down/lora_up or lora_A/lora_B pairs)");
    }
    return out;
  }

  private static void checkPair(Path p, String layer, StoredTensor down, StoredTensor up) throws LoraException {
    boolean shapes = (down.rank() == 2 || down.rank() == 4) && (up.rank() == 2 || up.rank() == 4)
        && up.dim(1) == down.dim(0) && (up.rank() == 2 || up.dim(2) * up.dim(3) == 1);
    if (!shapes) {
      throw new LoraException(p + ": layer " + layer + " has down " + java.util.Arrays.toString(down.shape())
          + " and up " + java.util.Arrays.toString(up.shape()) + ", which do not multiply to a LoRA delta; the file "
          + "is damaged or of a kind Latent Studio does not apply");
    }
    if (!down.dtype().isFloatWeight() || !up.dtype().isFloatWeight()) {
      throw new LoraException(p + ": layer " + layer + " holds " + down.dtype().torchName() + " values, not float32, "
          + "float16 or bfloat16");
    }
  }

  private static float scalar(Path p, StoredTensor alpha) throws LoraException {
    if (alpha.elements() != 1) {
      throw new LoraException(p + ": " + alpha.name() + " should be one number but has shape "
          + java.util.Arrays.toString(alpha.shape()));
    }
    try {
      return switch (alpha.dtype()) {
        case F32, F16, BF16 -> alpha.readFloats()[0];
        default -> throw new LoraException(p + ": " + alpha.name() + " holds " + alpha.dtype().torchName()
            + ", not a float");
      };
    } catch (IOException e) {
      throw new LoraException(p + ": cannot read " + alpha.name() + " (" + IoErrors.reason(e) + ")", e);
    }
  }

  private static List<String> otherKeys(WeightSet w) {
    return w.names().stream().filter(n -> LoraKeys.split(n).role() == null).toList();
  }

  private static String format(WeightSet w) {
    if (w.names().stream().anyMatch(n -> n.startsWith("lora_unet_") || n.startsWith("lora_te_"))) {
      return "kohya";
    }
    return w.names().stream().anyMatch(n -> n.contains(".lora_A.")) ? "diffusers/PEFT"
        : "diffusers (attention processors)";
  }

  private static String sdxlEvidence(WeightSet w, Map<String, String> metadata) {
    if (w.names().stream().anyMatch(n -> n.startsWith("lora_te2_") || n.startsWith("text_encoder_2."))) {
      return "it has layers for SDXL's second text encoder";
    }
    return "its metadata names the base model " + metadata.getOrDefault("ss_base_model_version",
        metadata.getOrDefault("modelspec.architecture", "SDXL"));
  }

  static String fingerprint(Path p) throws LoraException {
    try {
      return p + ":" + Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new LoraException("cannot read the LoRA " + p + " (" + IoErrors.reason(e) + ")", e);
    }
  }
}
