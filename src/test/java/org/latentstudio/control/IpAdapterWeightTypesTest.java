package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.latentstudio.checkpoint.UNetConfig;
import org.latentstudio.compiler.CrossAttentionLayers;
import org.latentstudio.nodes.ipadapter.IpAdapterWeightTypes;
import org.junit.jupiter.api.Test;

/**
 * The weight types on SD1.5's 16 cross-attention layers against ComfyUI_IPAdapter_plus's tables
 * (IPAdapterPlus.py, CrossAttentionPatch.py), and the layer numbering of h94's files.
 */
class IpAdapterWeightTypesTest {
  static final UNetConfig SD15 = UNetConfig.sd15(4);

  @Test
  void sd15LayersInForwardOrderWithH94Keys() {
    List<CrossAttentionLayers.Layer> layers = CrossAttentionLayers.of(SD15);
    assertEquals(16, layers.size());
    // forward order: 6 input layers (keys 1..11), the middle (key 31), 9 output layers (keys 13..29)
    assertEquals("down_blocks.0.attentions.0.transformer_blocks.0.attn2", layers.get(0).prefix());
    assertEquals(1, layers.get(0).fileKey());
    assertEquals("mid_block.attentions.0.transformer_blocks.0.attn2", layers.get(6).prefix());
    assertEquals(31, layers.get(6).fileKey());
    assertEquals("up_blocks.1.attentions.0.transformer_blocks.0.attn2", layers.get(7).prefix());
    assertEquals(13, layers.get(7).fileKey());
    assertEquals(29, layers.get(15).fileKey());
    assertEquals(1280, layers.get(7).width());
  }

  @Test
  void profilesAsIpAdapterPlus() {
    float w = 0.8f;
    float[] style = IpAdapterWeightTypes.scales("style transfer", w, SD15);
    float[] expectedStyle = new float[16];
    for (int i : new int[] {0, 1, 2, 3, 9, 10, 11, 12, 13, 14, 15}) {
      expectedStyle[i] = w;
    }
    assertArrayEquals(expectedStyle, style);
    float[] composition = new float[16];
    composition[4] = w * 0.25f;
    composition[5] = w;
    assertArrayEquals(composition, IpAdapterWeightTypes.scales("composition", w, SD15), 1e-7f);
    float[] strong = IpAdapterWeightTypes.scales("strong style transfer", w, SD15);
    assertEquals(0f, strong[4]);
    assertEquals(0f, strong[5]);
    assertEquals(w, strong[6]);
    float[] easeIn = IpAdapterWeightTypes.scales("ease in", w, SD15);
    assertEquals(w * (0.05 + 0.95 * (1 - 3 / 16.0)), easeIn[3], 1e-6);
    float[] easeOut = IpAdapterWeightTypes.scales("ease out", w, SD15);
    assertEquals(w * (0.05 + 0.95 * (3 / 16.0)), easeOut[3], 1e-6);
    float[] weakMiddle = IpAdapterWeightTypes.scales("weak middle", w, SD15);
    assertEquals(w * 0.2f, weakMiddle[6], 1e-7);
    assertEquals(w, weakMiddle[5]);
    float[] linear = IpAdapterWeightTypes.scales("linear", w, SD15);
    for (float v : linear) {
      assertEquals(w, v);
    }
  }
}
