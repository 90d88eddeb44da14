package org.latentstudio.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightSet;

/**
 * Reads the architecture of an original (LDM) SD1.x checkpoint from its tensors: channels, levels, layers per
 * block, which levels attend to the text, transformer depth, text width, the 9-channel inpainting input.
 * What tensors cannot tell (attention heads, GroupNorm groups) comes from the defaults given, SD1.5's unless a
 * config says otherwise.
 */
final class LdmArchitecture {
  private static final Pattern INPUT_INDEX = Pattern.compile("input_blocks\\.(\\d+)\\..*");
  private static final Pattern TRANSFORMER_INDEX = Pattern.compile(".*\\.transformer_blocks\\.(\\d+)\\..*");
  private static final Pattern VAE_LEVEL = Pattern.compile("encoder\\.down\\.(\\d+)\\..*");
  private static final Pattern VAE_BLOCK = Pattern.compile("encoder\\.down\\.0\\.block\\.(\\d+)\\..*");
  private static final Pattern TEXT_LAYER = Pattern.compile(".*encoder\\.layers\\.(\\d+)\\..*");

  private LdmArchitecture() {}

  /** Resnets per down block: the input blocks before the first downsampler. */
  static int unetLayersPerBlock(WeightSet unet, String origin) throws CheckpointException {
    for (int i = 1; i < 1000; i++) {
      if (unet.has("input_blocks." + i + ".0.op.weight")) {
        return i - 1;
      }
      if (!unet.has("input_blocks." + i + ".0.in_layers.2.weight")) {
        break;
      }
    }
    // one level only: every input block is a resnet
    int count = indices(unet, INPUT_INDEX).size() - 1;
    if (count < 1) {
      throw new CheckpointException(origin + " has no UNet input blocks (model.diffusion_model.input_blocks.*); it "
          + "is not a complete SD1.x checkpoint");
    }
    return count;
  }

  /**
   * The UNet's config from its tensors (LDM names, prefix removed).
   *
   * @param heads  attention heads per level when known (from a config), else null for SD1.5's 8
   * @param groups GroupNorm groups
   */
  static UNetConfig unet(WeightSet unet, int[] heads, int groups, String origin) throws CheckpointException {
    int layers = unetLayersPerBlock(unet, origin);
    StoredTensor convIn = require(unet, "input_blocks.0.0.weight", origin);
    int maxIndex = indices(unet, INPUT_INDEX).last();
    int levels = maxIndex / (layers + 1) + 1;
    int[] channels = new int[levels];
    boolean[] crossDown = new boolean[levels];
    boolean[] crossUp = new boolean[levels];
    int[] depth = new int[levels];
    long cross = -1;
    boolean linear = false;
    for (int level = 0; level < levels; level++) {
      int first = 1 + level * (layers + 1);
      channels[level] = (int) require(unet, "input_blocks." + first + ".0.out_layers.3.weight", origin).dim(0);
      String attn = "input_blocks." + first + ".1.";
      crossDown[level] = unet.has(attn + "proj_in.weight");
      if (crossDown[level]) {
        depth[level] = transformerDepth(unet, attn);
        StoredTensor k = require(unet, attn + "transformer_blocks.0.attn2.to_k.weight", origin);
        cross = k.dim(1);
        linear = unet.find(attn + "proj_in.weight").orElseThrow().rank() == 2;
      } else {
        depth[level] = 1;
      }
      // up block i (lowest resolution first) starts at output block i·(layers + 1)
      crossUp[level] = unet.has("output_blocks." + (level * (layers + 1)) + ".1.proj_in.weight");
    }
    boolean mid = unet.has("middle_block.1.proj_in.weight");
    if (cross < 0 && mid) {
      cross = require(unet, "middle_block.1.transformer_blocks.0.attn2.to_k.weight", origin).dim(1);
    }
    if (cross < 0) {
      throw new CheckpointException(origin + " has no cross-attention layers, so it is not a text-to-image SD1.x "
          + "UNet");
    }
    int[] h = heads != null ? heads : filled(levels, 8);
    int[] layerCounts = filled(levels, layers);
    StoredTensor convOut = require(unet, "out.2.weight", origin);
    UNetConfig config = new UNetConfig((int) convIn.dim(1), (int) convOut.dim(0), channels, crossDown, crossUp,
        layerCounts, h, depth, (int) cross, groups, 1e-5, linear, false, mid, true, 0, false, (int) convIn.dim(2),
        (int) convOut.dim(2), 1.0, 1.0);
    config.checkDivisibility(origin);
    return config;
  }

  private static int transformerDepth(WeightSet unet, String attnPrefix) {
    int max = -1;
    for (String k : unet.names()) {
      if (k.startsWith(attnPrefix)) {
        Matcher m = TRANSFORMER_INDEX.matcher(k);
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max + 1;
  }

  /** The VAE's config from its tensors (LDM names, prefix removed). */
  static VaeConfig vae(WeightSet vae, int groups, double scaling, String origin) throws CheckpointException {
    int levels = indices(vae, VAE_LEVEL).isEmpty() ? 0 : indices(vae, VAE_LEVEL).last() + 1;
    if (levels == 0) {
      throw new CheckpointException(origin + " has no VAE encoder blocks (first_stage_model.encoder.down.*); it is "
          + "not a complete SD1.x checkpoint");
    }
    int layers = indices(vae, VAE_BLOCK).last() + 1;
    int[] channels = new int[levels];
    for (int i = 0; i < levels; i++) {
      channels[i] = (int) require(vae, "encoder.down." + i + ".block.0.conv1.weight", origin).dim(0);
    }
    long latent = require(vae, "decoder.conv_in.weight", origin).dim(1);
    long in = require(vae, "encoder.conv_in.weight", origin).dim(1);
    long out = require(vae, "decoder.conv_out.weight", origin).dim(0);
    return new VaeConfig((int) in, (int) out, (int) latent, channels, layers, groups, scaling,
        vae.has("encoder.mid.attn_1.q.weight"), vae.has("quant_conv.weight"), vae.has("post_quant_conv.weight"));
  }

  /** The text encoder's config from its tensors (transformers names); heads and activation are not in them. */
  static ClipTextConfig clip(WeightSet text, int heads, boolean quickGelu, String origin) throws CheckpointException {
    StoredTensor tokens = require(text, "text_model.embeddings.token_embedding.weight", origin);
    StoredTensor positions = require(text, "text_model.embeddings.position_embedding.weight", origin);
    int layers = indices(text, TEXT_LAYER).isEmpty() ? 0 : indices(text, TEXT_LAYER).last() + 1;
    if (layers == 0) {
      throw new CheckpointException(origin + " has no text encoder layers; it is not a complete SD1.x checkpoint");
    }
    long width = tokens.dim(1);
    long inner = require(text, "text_model.encoder.layers.0.mlp.fc1.weight", origin).dim(0);
    if (width % heads != 0) {
      throw new CheckpointException(origin + ": the text encoder is " + width + " wide, which does not split into "
          + heads + " attention heads (SD1.5's count). Give the model's config (a diffusers folder or its .yaml) so "
          + "the head count is known");
    }
    return new ClipTextConfig((int) tokens.dim(0), (int) width, (int) inner, layers, heads, (int) positions.dim(0),
        1e-5, quickGelu);
  }

  private static StoredTensor require(WeightSet w, String name, String origin) throws CheckpointException {
    return w.find(name).orElseThrow(() -> new CheckpointException(origin + " lacks " + name + ", which every SD1.x "
        + "checkpoint has; the file is incomplete or of another kind"));
  }

  private static TreeSet<Integer> indices(WeightSet w, Pattern p) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String k : w.names()) {
      Matcher m = p.matcher(k);
      if (m.matches()) {
        out.add(Integer.parseInt(m.group(1)));
      }
    }
    return out;
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static List<String> firstNames(WeightSet w, int n) {
    List<String> out = new ArrayList<>();
    for (String k : w.names()) {
      if (out.size() == n) {
        break;
      }
      out.add(k);
    }
    return out;
  }
}
