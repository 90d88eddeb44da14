package org.latentstudio.compiler;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.checkpoint.UNetConfig;

/**
 * The UNet's cross-attention layers (every {@code attn2} of every transformer block), in the order the forward
 * pass runs them: down blocks, mid block, up blocks. That order indexes the IP-Adapter's per-layer scale
 * input and ComfyUI_IPAdapter_plus's weight profiles ({@code transformer_index}); h94's files number the same
 * layers in diffusers' {@code attn_processors} order (down, up, mid) as {@code ip_adapter.1, .3, .5, ...}.
 */
public final class CrossAttentionLayers {
  /** Which part of the UNet a layer is in: ComfyUI's "input", "middle" and "output" blocks. */
  public enum Part { INPUT, MIDDLE, OUTPUT }

  /**
   * @param prefix the attention module's diffusers name ("down_blocks.0.attentions.1.transformer_blocks.0.attn2")
   * @param index  its place in the forward pass, from 0
   * @param fileKey the number h94's files give it: {@code ip_adapter.<fileKey>.to_k_ip.weight}
   * @param width  its channels (the query width)
   */
  public record Layer(String prefix, Part part, int index, int fileKey, long width) {}

  private CrossAttentionLayers() {}

  public static List<Layer> of(UNetConfig c) {
    List<String[]> down = new ArrayList<>();
    List<String[]> up = new ArrayList<>();
    List<String[]> mid = new ArrayList<>();
    int n = c.levels();
    for (int i = 0; i < n; i++) {
      if (c.crossAttnBlocks()[i]) {
        for (int j = 0; j < c.layersPerBlock()[i]; j++) {
          blocks(down, "down_blocks." + i + ".attentions." + j, c.transformerLayers()[i], c.blockOutChannels()[i]);
        }
      }
    }
    if (c.midBlock()) {
      blocks(mid, "mid_block.attentions.0", c.transformerLayers()[n - 1], c.blockOutChannels()[n - 1]);
    }
    for (int i = 0; i < n; i++) {
      int level = n - 1 - i;
      if (c.crossAttnUpBlocks()[i]) {
        for (int j = 0; j < c.layersPerBlock()[level] + 1; j++) {
          blocks(up, "up_blocks." + i + ".attentions." + j, c.transformerLayers()[level], c.blockOutChannels()[level]);
        }
      }
    }
    List<Layer> out = new ArrayList<>();
    int index = 0;
    for (String[] d : down) {
      out.add(new Layer(d[0], Part.INPUT, index++, 2 * (out.size()) + 1, Long.parseLong(d[1])));
    }
    int upStart = down.size();
    int midKey = 2 * (down.size() + up.size()) + 1;
    for (String[] m : mid) {
      out.add(new Layer(m[0], Part.MIDDLE, index++, midKey, Long.parseLong(m[1])));
      midKey += 2;
    }
    for (int k = 0; k < up.size(); k++) {
      out.add(new Layer(up.get(k)[0], Part.OUTPUT, index++, 2 * (upStart + k) + 1, Long.parseLong(up.get(k)[1])));
    }
    return List.copyOf(out);
  }

  private static void blocks(List<String[]> into, String attention, int depth, long width) {
    for (int t = 0; t < depth; t++) {
      into.add(new String[] {attention + ".transformer_blocks." + t + ".attn2", Long.toString(width)});
    }
  }
}
