package org.latentstudio.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.latentstudio.io.IoErrors;

/**
 * An original LDM inference config ({@code v1-inference.yaml} and its variants, which A1111 reads from beside a
 * checkpoint). Read as plain data: YAML tags that would build objects are not followed. It gives what a
 * checkpoint's tensors cannot: attention heads, the VAE scaling factor, the noise schedule and the prediction
 * type.
 */
record LdmYaml(Path file, Integer numHeads, Integer numHeadChannels, double scaleFactor, double linearStart,
    double linearEnd, String prediction) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static LdmYaml read(Path file) throws CheckpointException {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CheckpointException(file + " is not valid YAML (line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
    } catch (IOException e) {
      throw new CheckpointException(file + " cannot be read: " + IoErrors.reason(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + " should hold an LDM config (model: params: ...)");
    }
    ConfigReader model = new ConfigReader(root, file.toString()).object("model");
    ConfigReader params = model.object("params");
    JsonNode target = params.node().path("cond_stage_config").path("target");
    if (target.isTextual() && target.asText().contains("OpenCLIP")) {
      throw new CheckpointException(file + " configures an OpenCLIP text encoder (" + target.asText() + "): it is "
          + "a Stable Diffusion 2.x config; Latent Studio runs SD1.x models");
    }
    ConfigReader unet = params.has("unet_config") ? params.object("unet_config").object("params") : null;
    Integer heads = null;
    Integer headChannels = null;
    if (unet != null) {
      int h = unet.integer("num_heads", -1, -1, 4096);
      int hc = unet.integer("num_head_channels", -1, -1, 65536);
      heads = h > 0 ? h : null;
      headChannels = hc > 0 ? hc : null;
    }
    String parameterization = params.choice("parameterization", "eps", java.util.Set.of("eps", "v", "x0"));
    String prediction = switch (parameterization) {
      case "v" -> "v_prediction";
      case "x0" -> "sample";
      default -> "epsilon";
    };
    return new LdmYaml(file, heads, headChannels, params.number("scale_factor", VaeConfig.SD15_SCALING, 1e-6, 1e3),
        params.number("linear_start", 0.00085, 1e-9, 0.999), params.number("linear_end", 0.012, 1e-9, 0.999),
        prediction);
  }

  /** Heads per level for these channels: a fixed count, or channels / channels-per-head. */
  int[] heads(int[] channels) throws CheckpointException {
    int[] out = new int[channels.length];
    for (int i = 0; i < channels.length; i++) {
      if (numHeadChannels != null) {
        if (channels[i] % numHeadChannels != 0) {
          throw new CheckpointException(file + ": num_head_channels " + numHeadChannels + " does not divide the "
              + channels[i] + " channels of level " + i);
        }
        out[i] = channels[i] / numHeadChannels;
      } else {
        out[i] = numHeads != null ? numHeads : 8;
      }
    }
    return out;
  }
}
