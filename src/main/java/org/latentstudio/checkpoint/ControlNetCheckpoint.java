package org.latentstudio.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightFileException;
import org.latentstudio.weights.WeightSet;

/**
 * A ControlNet read from the user's files, its weights under diffusers' {@code ControlNetModel} names:
 * <ul>
 *   <li>a diffusers folder: {@code config.json} and {@code diffusion_pytorch_model.safetensors};
 *   <li>an original single file (lllyasviel's {@code control_v11p_sd15_canny.safetensors}): {@code control_model.*}
 *       keys in LDM naming, renamed as diffusers' {@code convert_controlnet_checkpoint} does; or a single file in
 *       diffusers naming.
 * </ul>
 * A single file carries no config: its shape comes from the tensors and what they cannot tell (attention heads,
 * norm groups) from the UNet it is applied to, see {@link #configFor}.
 *
 * @param config the folder's config, or null for a single file
 */
public record ControlNetCheckpoint(Path origin, ControlNetConfig config, WeightSet weights, Path folder) {
  private static final String LDM_PREFIX = "control_model.";
  private static final Pattern HINT = Pattern.compile("input_hint_block\\.(\\d+)\\.(weight|bias)");
  private static final Pattern ZERO_CONV = Pattern.compile("zero_convs\\.(\\d+)\\.0\\.(weight|bias)");
  private static final Pattern DOWN_RESNET = Pattern.compile("down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.conv1\\.weight");
  private static final Pattern BLOCK = Pattern.compile("controlnet_cond_embedding\\.blocks\\.(\\d+)\\.weight");
  private static final Pattern DEPTH = Pattern.compile(".*\\.transformer_blocks\\.(\\d+)\\..*");

  public static ControlNetCheckpoint read(Path path) throws CheckpointException {
    Path p = path.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      if (!Files.isRegularFile(p.resolve("config.json"))) {
        throw new CheckpointException(p + " is a folder without config.json; a ControlNet is a diffusers folder "
            + "(config.json and diffusion_pytorch_model.safetensors) or a single .safetensors file");
      }
      ControlNetConfig config = ControlNetConfig.read(ConfigReader.json(p.resolve("config.json")));
      Path file = DiffusersFolder.weightFile(p);
      return new ControlNetCheckpoint(p, config, requireControlNet(file, WeightFiles.open(file), Map.of()), p);
    }
    if (!Files.isRegularFile(p)) {
      throw new CheckpointException("ControlNet " + p + " does not exist");
    }
    if (Files.isRegularFile(p.resolveSibling("config.json"))
        && p.getFileName().toString().startsWith("diffusion_pytorch_model")) {
      return read(p.getParent());
    }
    WeightSet all;
    Map<String, String> metadata = Map.of();
    if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
      try {
        SafetensorsFile f = SafetensorsFile.open(p);
        all = f.tensors();
        metadata = f.metadata();
      } catch (WeightFileException e) {
        throw new CheckpointException(e.getMessage(), e);
      }
    } else {
      all = WeightFiles.open(p);
    }
    WeightSet weights = requireControlNet(p, all, metadata);
    if (weights.has("input_hint_block.0.weight") || weights.has(LDM_PREFIX + "input_hint_block.0.weight")) {
      weights = fromLdm(weights.names().stream().anyMatch(k -> k.startsWith(LDM_PREFIX))
          ? weights.withPrefix(LDM_PREFIX) : weights, p.toString());
    }
    return new ControlNetCheckpoint(p, null, weights, p.getParent());
  }

  private static WeightSet requireControlNet(Path file, WeightSet all, Map<String, String> metadata)
      throws CheckpointException {
    ModelFileKind kind = ModelFileKind.of(all, metadata);
    if (kind != ModelFileKind.CONTROLNET) {
      throw new CheckpointException(file + " is " + kind.description() + ", not a ControlNet"
          + (kind == ModelFileKind.UNKNOWN ? " (its tensors begin with " + LdmArchitecture.firstNames(all, 3) + ")"
          : "") + ". Give ControlNetLoader a ControlNet file, e.g. control_v11p_sd15_canny.safetensors");
    }
    return all;
  }

  /** lllyasviel's names to diffusers', as {@code convert_controlnet_checkpoint}; unconverted keys are dropped. */
  static WeightSet fromLdm(WeightSet ldm, String origin) throws CheckpointException {
    int layers = LdmArchitecture.unetLayersPerBlock(ldm, origin);
    int lastHint = 0;
    for (String k : ldm.names()) {
      Matcher m = HINT.matcher(k);
      if (m.matches()) {
        lastHint = Math.max(lastHint, Integer.parseInt(m.group(1)));
      }
    }
    int last = lastHint;
    return ldm.rename(k -> {
      Matcher m = HINT.matcher(k);
      if (m.matches()) {
        int i = Integer.parseInt(m.group(1));
        String part = i == 0 ? "conv_in" : i == last ? "conv_out" : "blocks." + (i / 2 - 1);
        return "controlnet_cond_embedding." + part + "." + m.group(2);
      }
      m = ZERO_CONV.matcher(k);
      if (m.matches()) {
        return "controlnet_down_blocks." + m.group(1) + "." + m.group(2);
      }
      if (k.startsWith("middle_block_out.0.")) {
        return "controlnet_mid_block." + k.substring("middle_block_out.0.".length());
      }
      return LdmNames.unet(k, layers);
    });
  }

  /**
   * The ControlNet's architecture when applied to {@code base}: the folder's config, or for a single file its
   * tensors plus the base UNet's attention heads, norm groups and time embedding. Refuses a ControlNet whose
   * shape is not the base's.
   *
   * @param baseName the checkpoint, for messages
   */
  public ControlNetConfig configFor(UNetConfig base, String baseName) throws CheckpointException {
    ControlNetConfig c = config != null ? config : inferred(base);
    c.checkFits(origin.toString(), base, baseName);
    return c;
  }

  private ControlNetConfig inferred(UNetConfig base) throws CheckpointException {
    String o = origin.toString();
    TreeSet<Integer> levelSet = new TreeSet<>();
    TreeSet<Integer> layerSet = new TreeSet<>();
    for (String k : weights.names()) {
      Matcher m = DOWN_RESNET.matcher(k);
      if (m.matches()) {
        levelSet.add(Integer.parseInt(m.group(1)));
        layerSet.add(Integer.parseInt(m.group(2)));
      }
    }
    if (levelSet.isEmpty()) {
      throw new CheckpointException(o + " has no down blocks (down_blocks.*.resnets or control_model.input_blocks); "
          + "the file is incomplete");
    }
    int n = levelSet.last() + 1;
    int layers = layerSet.last() + 1;
    int[] channels = new int[n];
    boolean[] cross = new boolean[n];
    int[] depth = new int[n];
    long crossDim = -1;
    boolean linear = false;
    for (int i = 0; i < n; i++) {
      channels[i] = (int) require("down_blocks." + i + ".resnets.0.conv1.weight").dim(0);
      String attn = "down_blocks." + i + ".attentions.0.";
      cross[i] = weights.has(attn + "proj_in.weight");
      depth[i] = cross[i] ? depth(attn) : 1;
      if (cross[i]) {
        crossDim = require(attn + "transformer_blocks.0.attn2.to_k.weight").dim(1);
        linear = require(attn + "proj_in.weight").rank() == 2;
      }
    }
    boolean mid = weights.has("mid_block.resnets.0.conv1.weight");
    if (crossDim < 0 && weights.has("mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight")) {
      crossDim = require("mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight").dim(1);
    }
    int[] perBlock = new int[n];
    java.util.Arrays.fill(perBlock, layers);
    boolean[] crossUp = new boolean[n];
    for (int i = 0; i < n; i++) {
      crossUp[i] = cross[n - 1 - i];
    }
    // heads are not in the tensors: the base UNet's, when the shapes agree (checkFits refuses them otherwise)
    int[] heads = base.levels() == n ? base.headsPerBlock() : filled(n, 8);
    UNetConfig u = new UNetConfig((int) require("conv_in.weight").dim(1), (int) require("conv_in.weight").dim(1),
        channels, cross, crossUp, perBlock, heads, depth, (int) crossDim, base.normGroups(), base.normEps(), linear,
        base.upcastAttention(), mid, base.flipSinToCos(), base.freqShift(), false, 3, 3, 1.0, 1.0);
    StoredTensor condIn = require("controlnet_cond_embedding.conv_in.weight");
    TreeSet<Integer> blocks = new TreeSet<>();
    for (String k : weights.names()) {
      Matcher m = BLOCK.matcher(k);
      if (m.matches()) {
        blocks.add(Integer.parseInt(m.group(1)));
      }
    }
    int steps = blocks.isEmpty() ? 0 : (blocks.last() + 1) / 2;
    int[] embedding = new int[steps + 1];
    embedding[0] = (int) condIn.dim(0);
    for (int s = 0; s < steps; s++) {
      embedding[s + 1] = (int) require("controlnet_cond_embedding.blocks." + (2 * s + 1) + ".weight").dim(0);
    }
    // ComfyUI's rule: lllyasviel's shuffle ControlNet pools its residuals, and says so only in its file name
    boolean pool = origin.getFileName().toString().toLowerCase(Locale.ROOT).contains("shuffle");
    return new ControlNetConfig(u, (int) condIn.dim(1), embedding, false, pool);
  }

  private int depth(String prefix) {
    int max = 0;
    for (String k : weights.names()) {
      if (k.startsWith(prefix)) {
        Matcher m = DEPTH.matcher(k);
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)) + 1);
        }
      }
    }
    return max;
  }

  private StoredTensor require(String name) throws CheckpointException {
    return weights.find(name).orElseThrow(() -> new CheckpointException(origin + " lacks " + name + ", which every "
        + "ControlNet has; the file is incomplete or of another kind"));
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
