package org.latentstudio.checkpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A diffusers {@code ControlNetModel}: the encoder half of a UNet (time embedding, down blocks, mid block) plus
 * the conditioning-image embedding and one zero-initialised 1×1 conv per output.
 *
 * @param unet                 the encoder's architecture as a UNet config (up blocks mirror the down blocks and
 *                             are not built)
 * @param conditioningChannels channels of the control image (3)
 * @param embeddingChannels    {@code conditioning_embedding_out_channels}: each step but the first halves the size
 * @param bgr                  {@code controlnet_conditioning_channel_order} "bgr": the image's channels are flipped
 * @param globalPool           {@code global_pool_conditions} (the "shuffle" ControlNet): each residual is its
 *                             spatial mean
 */
public record ControlNetConfig(UNetConfig unet, int conditioningChannels, int[] embeddingChannels, boolean bgr,
    boolean globalPool) {
  public ControlNetConfig {
    embeddingChannels = embeddingChannels.clone();
  }

  /** How many times the conditioning embedding halves the control image: the VAE's downscale must match. */
  public int downscale() {
    return 1 << (embeddingChannels.length - 1);
  }

  /** Reads a diffusers {@code ControlNetModel} config.json, refusing what SD1.x ControlNets do not use. */
  public static ControlNetConfig read(ConfigReader c) throws CheckpointException {
    c.choice("_class_name", "ControlNetModel", Set.of("ControlNetModel"));
    List<String> down = c.stringList("down_block_types",
        List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"));
    int n = down.size();
    boolean[] cross = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (!UNetConfig.DOWN_TYPES.contains(down.get(i))) {
        throw c.problem("down_block_types", "has '" + down.get(i) + "'; supported: " + UNetConfig.DOWN_TYPES, null);
      }
      cross[i] = down.get(i).startsWith("CrossAttn");
    }
    int[] channels = c.intList("block_out_channels", new int[] {320, 640, 1280, 1280}, 1, 65536);
    if (channels.length != n) {
      throw c.problem("block_out_channels", "should have one entry per block (" + n + ")", null);
    }
    if (c.has("num_attention_heads")) {
      throw c.problem("num_attention_heads", "is not used by SD1.x ControlNets (the head count is attention_head_dim);"
          + " remove it", null);
    }
    c.requireUnset("class_embed_type", "a class-conditioned ControlNet");
    c.requireUnset("addition_embed_type", "an SDXL ControlNet");
    c.requireUnset("encoder_hid_dim", "a ControlNet with a text projection");
    c.requireUnset("encoder_hid_dim_type", "a ControlNet with a text projection");
    c.requireAllFalse("only_cross_attention", "a ControlNet without self-attention");
    c.choice("act_fn", "silu", Set.of("silu", "swish"));
    c.choice("resnet_time_scale_shift", "default", Set.of("default"));
    boolean mid = !c.isExplicitNull("mid_block_type");
    c.choice("mid_block_type", null, Set.of("UNetMidBlock2DCrossAttn"));
    int layers = c.integer("layers_per_block", 2, 1, 64);
    int[] perBlock = new int[n];
    Arrays.fill(perBlock, layers);
    int[] heads = c.intOrList("attention_head_dim", n, 8, 1, 4096);
    int[] depth = c.intOrList("transformer_layers_per_block", n, 1, 1, 64);
    boolean[] crossUp = new boolean[n];
    for (int i = 0; i < n; i++) {
      crossUp[i] = cross[n - 1 - i];
    }
    int in = c.integer("in_channels", 4, 1, 64);
    UNetConfig unet = new UNetConfig(in, in, channels, cross, crossUp, perBlock, heads, depth,
        c.integer("cross_attention_dim", 1280, 1, 65536), c.integer("norm_num_groups", 32, 1, 65536),
        c.number("norm_eps", 1e-5, 1e-12, 1e-1), c.bool("use_linear_projection", false),
        c.bool("upcast_attention", false), mid, c.bool("flip_sin_to_cos", true), c.integer("freq_shift", 0, 0, 1),
        false, 3, 3, 1.0, c.number("mid_block_scale_factor", 1.0, 1e-3, 1e3));
    unet.checkDivisibility(c.source());
    String order = c.choice("controlnet_conditioning_channel_order", "rgb", Set.of("rgb", "bgr"));
    int[] embedding = c.intList("conditioning_embedding_out_channels", new int[] {16, 32, 96, 256}, 1, 65536);
    return new ControlNetConfig(unet, c.integer("conditioning_channels", 3, 1, 16), embedding, order.equals("bgr"),
        c.bool("global_pool_conditions", false));
  }

  /**
   * Refuses a ControlNet made for another base model: its encoder must have the shape of the UNet's, or its
   * residuals do not fit the UNet's skip connections.
   *
   * @param name the ControlNet's file, for the message
   * @param base the UNet it is applied to
   */
  public void checkFits(String name, UNetConfig base, String baseName) throws CheckpointException {
    UNetConfig u = unet;
    boolean fits = Arrays.equals(u.blockOutChannels(), base.blockOutChannels())
        && Arrays.equals(u.layersPerBlock(), base.layersPerBlock())
        && Arrays.equals(u.crossAttnBlocks(), base.crossAttnBlocks())
        && u.crossAttentionDim() == base.crossAttentionDim() && u.midBlock() == base.midBlock();
    if (!fits) {
      throw new CheckpointException(name + " is a ControlNet for " + shape(u) + ", but " + baseName + " has "
          + shape(base) + ": it was made for another base model. Use a ControlNet trained for this checkpoint's "
          + "family (an SD1.x ControlNet for an SD1.x checkpoint)");
    }
    // an inpainting UNet takes 9 channels; ControlNets for it see the 4 latent channels (as in ComfyUI)
    if (u.inChannels() != base.inChannels() && u.inChannels() != base.outChannels()) {
      throw new CheckpointException(name + " takes " + u.inChannels() + "-channel latents but " + baseName
          + "'s UNet takes " + base.inChannels() + " (an inpainting UNet?); use a ControlNet made for this UNet");
    }
  }

  static String shape(UNetConfig u) {
    return "blocks " + Arrays.toString(u.blockOutChannels()) + " with " + Arrays.toString(u.layersPerBlock())
        + " layers and " + u.crossAttentionDim() + "-wide cross-attention";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlNetConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "ControlNetConfig[" + unet + ", cond=" + conditioningChannels + ", embedding="
        + Arrays.toString(embeddingChannels) + ", bgr=" + bgr + ", pool=" + globalPool + "]";
  }
}
