package org.latentstudio.checkpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The architecture of a {@code UNet2DConditionModel} as far as Stable Diffusion 1.x uses it, read from a
 * diffusers {@code unet/config.json}, an LDM {@code .yaml}, or the shapes of a single-file checkpoint's
 * tensors. Per-block lists have one entry per down block (in down order). Values outside what SD1.x uses are
 * refused by the readers, so the graph builder can trust every field.
 *
 * @param headsPerBlock    attention heads per down block; diffusers' {@code attention_head_dim} holds this
 *                         (a historical misnomer it keeps for compatibility)
 * @param crossAttnBlocks  per down block: does it have transformers (CrossAttnDownBlock2D)? Up blocks mirror it
 * @param midBlock         whether there is a UNetMidBlock2DCrossAttn
 */
public record UNetConfig(int inChannels, int outChannels, int[] blockOutChannels, boolean[] crossAttnBlocks,
    boolean[] crossAttnUpBlocks, int[] layersPerBlock, int[] headsPerBlock, int[] transformerLayers,
    int crossAttentionDim, int normGroups, double normEps, boolean useLinearProjection, boolean upcastAttention,
    boolean midBlock, boolean flipSinToCos, int freqShift, boolean centerInputSample, int convInKernel,
    int convOutKernel, double resnetOutScale, double midBlockScale) {

  static final Set<String> DOWN_TYPES = Set.of("CrossAttnDownBlock2D", "DownBlock2D");
  static final Set<String> UP_TYPES = Set.of("CrossAttnUpBlock2D", "UpBlock2D");

  public UNetConfig {
    blockOutChannels = blockOutChannels.clone();
    crossAttnBlocks = crossAttnBlocks.clone();
    crossAttnUpBlocks = crossAttnUpBlocks.clone();
    layersPerBlock = layersPerBlock.clone();
    headsPerBlock = headsPerBlock.clone();
    transformerLayers = transformerLayers.clone();
  }

  public int levels() {
    return blockOutChannels.length;
  }

  /** SD1.5's UNet: 4 levels of 320-1280 channels, 8 heads, cross-attention on 768-wide text. */
  public static UNetConfig sd15(int inChannels) {
    return new UNetConfig(inChannels, 4, new int[] {320, 640, 1280, 1280},
        new boolean[] {true, true, true, false}, new boolean[] {false, true, true, true}, new int[] {2, 2, 2, 2},
        new int[] {8, 8, 8, 8}, new int[] {1, 1, 1, 1}, 768, 32, 1e-5, false, false, true, true, 0, false, 3, 3,
        1.0, 1.0);
  }

  /** Reads a diffusers {@code unet/config.json}, refusing what SD1.x does not use (SDXL's extra embeddings...). */
  public static UNetConfig read(ConfigReader c) throws CheckpointException {
    c.choice("_class_name", "UNet2DConditionModel", Set.of("UNet2DConditionModel"));
    List<String> down = c.stringList("down_block_types",
        List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"));
    List<String> up = c.stringList("up_block_types",
        List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"));
    int n = down.size();
    if (up.size() != n) {
      throw c.problem("up_block_types", "should have as many blocks as down_block_types (" + n + ")", null);
    }
    boolean[] crossDown = new boolean[n];
    boolean[] crossUp = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (!DOWN_TYPES.contains(down.get(i))) {
        throw c.problem("down_block_types", "has '" + down.get(i) + "'; supported: " + DOWN_TYPES, null);
      }
      if (!UP_TYPES.contains(up.get(i))) {
        throw c.problem("up_block_types", "has '" + up.get(i) + "'; supported: " + UP_TYPES, null);
      }
      crossDown[i] = down.get(i).startsWith("CrossAttn");
      crossUp[i] = up.get(i).startsWith("CrossAttn");
    }
    int[] channels = c.intList("block_out_channels", new int[] {320, 640, 1280, 1280}, 1, 65536);
    if (channels.length != n) {
      throw c.problem("block_out_channels", "should have one entry per block (" + n + ")", null);
    }
    if (c.has("num_attention_heads")) {
      throw c.problem("num_attention_heads", "is not used by diffusers' UNet2DConditionModel for SD1.x (it reads "
          + "the head count from attention_head_dim); remove it", null);
    }
    c.requireUnset("class_embed_type", "a class-conditioned UNet");
    c.requireUnset("addition_embed_type", "an SDXL-style UNet");
    c.requireUnset("num_class_embeds", "a class-conditioned UNet");
    c.requireUnset("encoder_hid_dim", "a UNet with a text projection (Kandinsky/IF)");
    c.requireUnset("encoder_hid_dim_type", "a UNet with a text projection (Kandinsky/IF)");
    c.requireUnset("time_cond_proj_dim", "an LCM-distilled UNet with guidance embedding");
    c.requireUnset("cross_attention_norm", "a UNet with normalised cross-attention");
    c.requireUnset("timestep_post_act", "a UNet with a post-activation on the time embedding");
    c.requireUnset("time_embedding_act_fn", "a UNet with an activated time embedding");
    c.requireUnset("time_embedding_dim", "a UNet with a custom time-embedding width");
    c.choice("act_fn", "silu", Set.of("silu", "swish"));
    c.choice("time_embedding_type", "positional", Set.of("positional"));
    c.choice("resnet_time_scale_shift", "default", Set.of("default"));
    c.choice("attention_type", "default", Set.of("default"));
    if (c.bool("dual_cross_attention", false)) {
      throw c.problem("dual_cross_attention", "is true (Versatile Diffusion); not supported", null);
    }
    if (c.bool("resnet_skip_time_act", false)) {
      throw c.problem("resnet_skip_time_act", "is true; not supported", null);
    }
    if (c.bool("class_embeddings_concat", false)) {
      throw c.problem("class_embeddings_concat", "is true; not supported", null);
    }
    c.requireAllFalse("only_cross_attention", "a UNet without self-attention");
    // diffusers' default is the cross-attention mid block; an explicit null means none
    boolean midBlock = !c.isExplicitNull("mid_block_type");
    c.choice("mid_block_type", null, Set.of("UNetMidBlock2DCrossAttn"));
    int cross = c.integer("cross_attention_dim", 768, 1, 65536);
    int[] layers = c.intOrList("layers_per_block", n, 2, 1, 64);
    int[] heads = c.intOrList("attention_head_dim", n, 8, 1, 4096);
    int[] transformer = c.intOrList("transformer_layers_per_block", n, 1, 1, 64);
    int groups = c.integer("norm_num_groups", 32, 1, 65536);
    double eps = c.number("norm_eps", 1e-5, 1e-12, 1e-1);
    int kin = c.integer("conv_in_kernel", 3, 1, 15);
    int kout = c.integer("conv_out_kernel", 3, 1, 15);
    if (kin % 2 == 0 || kout % 2 == 0) {
      throw c.problem(kin % 2 == 0 ? "conv_in_kernel" : "conv_out_kernel", "should be odd", null);
    }
    UNetConfig config = new UNetConfig(c.integer("in_channels", 4, 1, 64), c.integer("out_channels", 4, 1, 64),
        channels, crossDown, crossUp, layers, heads, transformer, cross, groups, eps,
        c.bool("use_linear_projection", false), c.bool("upcast_attention", false), midBlock,
        c.bool("flip_sin_to_cos", true), c.integer("freq_shift", 0, 0, 1), c.bool("center_input_sample", false),
        kin, kout, c.number("resnet_out_scale_factor", 1.0, 1e-3, 1e3),
        c.number("mid_block_scale_factor", 1.0, 1e-3, 1e3));
    config.checkDivisibility(c.source());
    return config;
  }

  /** Channels must split evenly into norm groups and attention heads, or the graph cannot be built. */
  void checkDivisibility(String source) throws CheckpointException {
    for (int i = 0; i < levels(); i++) {
      int ch = blockOutChannels[i];
      if (ch % normGroups != 0) {
        throw new CheckpointException(source + ": block " + i + " has " + ch + " channels, which do not split into "
            + normGroups + " norm groups (norm_num_groups)");
      }
      if ((crossAttnBlocks[i] || crossAttnUpBlocks[levels() - 1 - i]) && ch % headsPerBlock[i] != 0) {
        throw new CheckpointException(source + ": block " + i + " has " + ch + " channels, which do not split into "
            + headsPerBlock[i] + " attention heads (attention_head_dim)");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetConfig u && toString().equals(u.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "UNetConfig[in=" + inChannels + ", out=" + outChannels + ", channels=" + Arrays.toString(blockOutChannels)
        + ", crossDown=" + Arrays.toString(crossAttnBlocks) + ", crossUp=" + Arrays.toString(crossAttnUpBlocks)
        + ", layers=" + Arrays.toString(layersPerBlock) + ", heads=" + Arrays.toString(headsPerBlock)
        + ", transformerLayers=" + Arrays.toString(transformerLayers) + ", cross=" + crossAttentionDim
        + ", groups=" + normGroups + ", eps=" + normEps + ", linearProj=" + useLinearProjection + ", upcast="
        + upcastAttention + ", mid=" + midBlock + ", flip=" + flipSinToCos + ", shift=" + freqShift + ", center="
        + centerInputSample + ", kin=" + convInKernel + ", kout=" + convOutKernel + ", resnetScale="
        + resnetOutScale + ", midScale=" + midBlockScale + "]";
  }
}
