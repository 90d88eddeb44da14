package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentstudio.weights.DType;
import org.latentstudio.weights.StoredTensor;

/**
 * Key names of real LoRA files for SD1.5 (2 resnets per down block, up blocks of 3, no attention in the first up
 * block), read to the diffusers module they change: kohya's LDM-style names as LyCORIS and A1111 write them,
 * older diffusers attention-processor names, and the text encoder's.
 */
class LoraNamesTest {
  private static final Map<String, String> SD15_LDM = Map.ofEntries(
      Map.entry("input_blocks_1_1_transformer_blocks_0_attn1_to_q",
          "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q"),
      Map.entry("input_blocks_5_1_proj_in", "down_blocks.1.attentions.1.proj_in"),
      Map.entry("input_blocks_8_1_transformer_blocks_0_ff_net_0_proj",
          "down_blocks.2.attentions.1.transformer_blocks.0.ff.net.0.proj"),
      Map.entry("middle_block_1_transformer_blocks_0_attn2_to_out_0",
          "mid_block.attentions.0.transformer_blocks.0.attn2.to_out.0"),
      Map.entry("output_blocks_11_1_proj_out", "up_blocks.3.attentions.2.proj_out"),
      Map.entry("output_blocks_3_1_transformer_blocks_0_attn2_to_k",
          "up_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k"),
      // LoCon: resnets, shortcuts, down- and upsamplers
      Map.entry("input_blocks_4_0_in_layers_2", "down_blocks.1.resnets.0.conv1"),
      Map.entry("input_blocks_4_0_emb_layers_1", "down_blocks.1.resnets.0.time_emb_proj"),
      Map.entry("input_blocks_4_0_skip_connection", "down_blocks.1.resnets.0.conv_shortcut"),
      Map.entry("input_blocks_3_0_op", "down_blocks.0.downsamplers.0.conv"),
      Map.entry("middle_block_2_out_layers_3", "mid_block.resnets.1.conv2"),
      Map.entry("output_blocks_2_1_conv", "up_blocks.0.upsamplers.0.conv"),
      Map.entry("output_blocks_5_2_conv", "up_blocks.1.upsamplers.0.conv"),
      Map.entry("output_blocks_0_0_out_layers_3", "up_blocks.0.resnets.0.conv2"));

  @Test
  void kohyaLdmNamesOfSd15() {
    SD15_LDM.forEach((kohya, diffusers) ->
        assertEquals(LoraKeys.kohya(diffusers), LoraKeys.kohya(LoraMatcher.fromLdm(kohya, 2)), kohya));
  }

  private static LoraLayer layer(String key) {
    StoredTensor t = new StoredTensor(key, DType.F32, new long[] {4, 4}, java.nio.file.Path.of("x"), 0, 64);
    return LoraKeys.target(LoraKeys.split(key).layer(), t, t, null);
  }

  @Test
  void olderDiffusersNamesAreTheModulesTheyPatch() {
    assertEquals("down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_out.0",
        layer("unet.down_blocks.0.attentions.1.transformer_blocks.0.attn2.processor.to_out_lora.down.weight").module());
    assertEquals("mid_block.attentions.0.transformer_blocks.0.attn1.to_k",
        layer("mid_block.attentions.0.transformer_blocks.0.attn1.processor.to_k_lora.up.weight").module());
    assertEquals("text_model.encoder.layers.3.self_attn.v_proj",
        layer("text_encoder.text_model.encoder.layers.3.self_attn.to_v_lora.down.weight").module());
    assertEquals("text_model.encoder.layers.3.mlp.fc1",
        layer("text_encoder.text_model.encoder.layers.3.mlp.fc1.lora_linear_layer.down.weight").module());
    assertEquals("down_blocks.1.resnets.0.conv1", layer("unet.down_blocks.1.resnets.0.conv1.lora.up.weight").module());
    assertEquals(LoraPart.TEXT_ENCODER,
        layer("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight").part());
  }
}
