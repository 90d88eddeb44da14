package org.latentstudio.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of original (CompVis/LDM) single-file checkpoints, mapped to diffusers' names, as diffusers'
 * {@code single_file_utils} converts them ({@code convert_ldm_unet_checkpoint}, {@code convert_ldm_vae_checkpoint},
 * {@code convert_ldm_clip_checkpoint}). Only names change; the tensors are the same bytes (the VAE attention's
 * 1×1 convs become Linear weights by viewing them without the size-1 axes).
 */
public final class LdmNames {
  static final String UNET = "model.diffusion_model.";
  static final String VAE = "first_stage_model.";
  static final String CLIP = "cond_stage_model.transformer.";

  private static final Pattern INPUT = Pattern.compile("input_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
  private static final Pattern MIDDLE = Pattern.compile("middle_block\\.(\\d+)\\.(.+)");
  private static final Pattern OUTPUT = Pattern.compile("output_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
  private static final Pattern VAE_DOWN = Pattern.compile("encoder\\.down\\.(\\d+)\\.(block\\.(\\d+)|downsample)\\.(.+)");
  private static final Pattern VAE_UP = Pattern.compile("decoder\\.up\\.(\\d+)\\.(block\\.(\\d+)|upsample)\\.(.+)");
  private static final Pattern VAE_MID = Pattern.compile("(encoder|decoder)\\.mid\\.(block_(\\d)|attn_1)\\.(.+)");

  private LdmNames() {}

  /**
   * A UNet key without the {@code model.diffusion_model.} prefix, in diffusers' naming; null for keys diffusers
   * does not convert.
   *
   * @param layers resnets per down block (layers_per_block)
   */
  public static String unet(String key, int layers) {
    switch (key) {
      case "time_embed.0.weight", "time_embed.0.bias" -> {
        return "time_embedding.linear_1." + last(key);
      }
      case "time_embed.2.weight", "time_embed.2.bias" -> {
        return "time_embedding.linear_2." + last(key);
      }
      case "input_blocks.0.0.weight", "input_blocks.0.0.bias" -> {
        return "conv_in." + last(key);
      }
      case "out.0.weight", "out.0.bias" -> {
        return "conv_norm_out." + last(key);
      }
      case "out.2.weight", "out.2.bias" -> {
        return "conv_out." + last(key);
      }
      default -> { }
    }
    Matcher m = INPUT.matcher(key);
    if (m.matches()) {
      int i = Integer.parseInt(m.group(1));
      int part = Integer.parseInt(m.group(2));
      String rest = m.group(3);
      if (i == 0) {
        return null;
      }
      int block = (i - 1) / (layers + 1);
      int layer = (i - 1) % (layers + 1);
      if (part == 0 && rest.startsWith("op.")) {
        return "down_blocks." + block + ".downsamplers.0.conv." + rest.substring(3);
      }
      return part == 0 ? "down_blocks." + block + ".resnets." + layer + "." + resnet(rest)
          : "down_blocks." + block + ".attentions." + layer + "." + rest;
    }
    m = MIDDLE.matcher(key);
    if (m.matches()) {
      int i = Integer.parseInt(m.group(1));
      return i % 2 == 0 ? "mid_block.resnets." + (i / 2) + "." + resnet(m.group(2))
          : "mid_block.attentions." + (i / 2) + "." + m.group(2);
    }
    m = OUTPUT.matcher(key);
    if (m.matches()) {
      int i = Integer.parseInt(m.group(1));
      int part = Integer.parseInt(m.group(2));
      String rest = m.group(3);
      int block = i / (layers + 1);
      int layer = i % (layers + 1);
      if (part == 0) {
        return "up_blocks." + block + ".resnets." + layer + "." + resnet(rest);
      }
      if (rest.startsWith("conv.")) {
        return "up_blocks." + block + ".upsamplers.0.conv." + rest.substring(5);
      }
      return part == 1 ? "up_blocks." + block + ".attentions." + layer + "." + rest : null;
    }
    return null;
  }

  private static String resnet(String rest) {
    return rest.replace("in_layers.0", "norm1").replace("in_layers.2", "conv1").replace("out_layers.0", "norm2")
        .replace("out_layers.3", "conv2").replace("emb_layers.1", "time_emb_proj")
        .replace("skip_connection", "conv_shortcut");
  }

  /**
   * A VAE key without the {@code first_stage_model.} prefix, in diffusers' naming; null for keys diffusers does
   * not convert.
   *
   * @param levels number of resolution levels (encoder down blocks)
   */
  static String vae(String key, int levels) {
    if (key.startsWith("quant_conv.") || key.startsWith("post_quant_conv.")) {
      return key;
    }
    for (String side : new String[] {"encoder.", "decoder."}) {
      for (String simple : new String[] {"conv_in.", "conv_out."}) {
        if (key.startsWith(side + simple)) {
          return key;
        }
      }
      if (key.startsWith(side + "norm_out.")) {
        return side + "conv_norm_out." + key.substring((side + "norm_out.").length());
      }
    }
    Matcher m = VAE_DOWN.matcher(key);
    if (m.matches()) {
      String block = "encoder.down_blocks." + m.group(1);
      return m.group(3) != null ? block + ".resnets." + m.group(3) + "." + vaeResnet(m.group(4))
          : block + ".downsamplers.0." + m.group(4);
    }
    m = VAE_UP.matcher(key);
    if (m.matches()) {
      String block = "decoder.up_blocks." + (levels - 1 - Integer.parseInt(m.group(1)));
      return m.group(3) != null ? block + ".resnets." + m.group(3) + "." + vaeResnet(m.group(4))
          : block + ".upsamplers.0." + m.group(4);
    }
    m = VAE_MID.matcher(key);
    if (m.matches()) {
      String side = m.group(1) + ".mid_block.";
      if (m.group(3) != null) {
        return side + "resnets." + (Integer.parseInt(m.group(3)) - 1) + "." + vaeResnet(m.group(4));
      }
      String rest = m.group(4);
      String param = last(rest);
      String layer = rest.substring(0, rest.length() - param.length() - 1);
      String renamed = switch (layer) {
        case "norm" -> "group_norm";
        case "q" -> "to_q";
        case "k" -> "to_k";
        case "v" -> "to_v";
        case "proj_out" -> "to_out.0";
        default -> null;
      };
      return renamed == null ? null : side + "attentions.0." + renamed + "." + param;
    }
    return null;
  }

  private static String vaeResnet(String rest) {
    return rest.replace("nin_shortcut", "conv_shortcut");
  }

  /**
   * A text-encoder key without the {@code cond_stage_model.transformer.} prefix, in transformers' naming. Files
   * saved with older transformers lack the {@code text_model.} level.
   */
  static String clip(String key) {
    return key.startsWith("text_model.") ? key : "text_model." + key;
  }

  private static String last(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }
}
