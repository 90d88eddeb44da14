package org.latentstudio.checkpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The architecture of an {@code AutoencoderKL} as SD1.x uses it, from its {@code config.json}, an LDM
 * {@code .yaml}, or the tensors of a single-file checkpoint.
 *
 * @param scalingFactor latents are multiplied by this after encoding and divided before decoding
 */
public record VaeConfig(int inChannels, int outChannels, int latentChannels, int[] blockOutChannels,
    int layersPerBlock, int normGroups, double scalingFactor, boolean midBlockAttention, boolean quantConv,
    boolean postQuantConv) {

  public static final double SD15_SCALING = 0.18215;

  public VaeConfig {
    blockOutChannels = blockOutChannels.clone();
  }

  /** How many pixels one latent cell covers along each side: 2^(levels-1), 8 for SD1.5. */
  public int downscale() {
    return 1 << (blockOutChannels.length - 1);
  }

  public static VaeConfig sd15() {
    return new VaeConfig(3, 3, 4, new int[] {128, 256, 512, 512}, 2, 32, SD15_SCALING, true, true, true);
  }

  public static VaeConfig read(ConfigReader c) throws CheckpointException {
    c.choice("_class_name", "AutoencoderKL", Set.of("AutoencoderKL"));
    int[] channels = c.intList("block_out_channels", new int[] {64}, 1, 65536);
    int n = channels.length;
    for (String field : List.of("down_block_types", "up_block_types")) {
      String allowed = field.startsWith("down") ? "DownEncoderBlock2D" : "UpDecoderBlock2D";
      List<String> types = c.stringList(field, java.util.Collections.nCopies(n, allowed));
      if (types.size() != n || types.stream().anyMatch(t -> !t.equals(allowed))) {
        throw c.problem(field, "should list " + n + " × " + allowed + " (one per block_out_channels entry)", null);
      }
    }
    c.choice("act_fn", "silu", Set.of("silu", "swish"));
    c.requireUnset("shift_factor", "an SD3/Flux-style VAE");
    c.requireUnset("latents_mean", "an SDXL/Playground-style VAE with latent statistics");
    c.requireUnset("latents_std", "an SDXL/Playground-style VAE with latent statistics");
    int groups = c.integer("norm_num_groups", 32, 1, 65536);
    for (int ch : channels) {
      if (ch % groups != 0) {
        throw new CheckpointException(c.source() + ": " + ch + " channels do not split into " + groups
            + " norm groups (norm_num_groups)");
      }
    }
    return new VaeConfig(c.integer("in_channels", 3, 1, 64), c.integer("out_channels", 3, 1, 64),
        c.integer("latent_channels", 4, 1, 256), channels, c.integer("layers_per_block", 1, 1, 64), groups,
        c.number("scaling_factor", SD15_SCALING, 1e-6, 1e3), c.bool("mid_block_add_attention", true),
        c.bool("use_quant_conv", true), c.bool("use_post_quant_conv", true));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VaeConfig v && toString().equals(v.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "VaeConfig[in=" + inChannels + ", out=" + outChannels + ", latent=" + latentChannels + ", channels="
        + Arrays.toString(blockOutChannels) + ", layers=" + layersPerBlock + ", groups=" + normGroups + ", scaling="
        + scalingFactor + ", midAttn=" + midBlockAttention + ", quant=" + quantConv + "/" + postQuantConv + "]";
  }
}
