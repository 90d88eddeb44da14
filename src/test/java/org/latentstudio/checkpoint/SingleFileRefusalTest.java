package org.latentstudio.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.SafetensorsWriter;

/**
 * Files that are not SD1.x checkpoints, given as one, are refused with a message saying what they are and what
 * to do, never with a list of missing keys. Each fixture carries the key names (and, where it matters, the
 * shapes) that real files of that kind have.
 */
class SingleFileRefusalTest {
  @TempDir
  Path tmp;

  private String refusal(String name, SafetensorsWriter w) throws Exception {
    Path file = w.write(tmp.resolve(name));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SingleFileCheckpoint.read(file, null));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    return e.getMessage();
  }

  private static float[] z(int n) {
    return new float[n];
  }

  @Test
  void sdxl() throws Exception {
    String m = refusal("xl.safetensors", new SafetensorsWriter()
        .f16("conditioner.embedders.0.transformer.text_model.embeddings.position_embedding.weight", z(4), 2, 2)
        .f16("model.diffusion_model.label_emb.0.0.weight", z(4), 2, 2));
    assertTrue(m.contains("Stable Diffusion XL checkpoint"), m);
  }

  @Test
  void sd2ByItsOpenClipTextEncoderOrItsCrossAttentionWidth() throws Exception {
    assertTrue(refusal("v2.safetensors", new SafetensorsWriter()
        .f16("cond_stage_model.model.token_embedding.weight", z(4), 2, 2)
        .f16("model.diffusion_model.input_blocks.0.0.weight", z(4), 1, 4)).contains("Stable Diffusion 2.x"));
    assertTrue(refusal("v2b.safetensors", new SafetensorsWriter()
        .f16("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", z(2048), 2, 1024))
        .contains("Stable Diffusion 2.x"));
  }

  @Test
  void loraKohyaPeftAndSdxl() throws Exception {
    String kohya = refusal("lora.safetensors", new SafetensorsWriter()
        .f16("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", z(4), 2, 2)
        .f16("lora_unet_down_blocks_0_attentions_0_proj_in.alpha", z(1), 1));
    assertTrue(kohya.contains("a LoRA") && kohya.contains("LoRA loader"), kohya);
    assertTrue(refusal("peft.safetensors", new SafetensorsWriter()
        .f32("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", z(4), 2, 2))
        .contains("a LoRA"));
    assertTrue(refusal("xl-lora.safetensors", new SafetensorsWriter()
        .f16("lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", z(4), 2, 2))
        .contains("SDXL LoRA"));
  }

  @Test
  void controlNetAndIpAdapter() throws Exception {
    String m = refusal("control_v11p_sd15_canny.safetensors", new SafetensorsWriter()
        .f16("control_model.input_hint_block.0.weight", z(4), 1, 4)
        .f16("control_model.zero_convs.0.0.weight", z(4), 1, 4));
    assertTrue(m.contains("a ControlNet") && m.contains("ControlNet loader"), m);
    assertTrue(refusal("ip.safetensors", new SafetensorsWriter().f16("image_proj.proj.weight", z(4), 2, 2)
        .f16("ip_adapter.1.to_k_ip.weight", z(4), 2, 2)).contains("IP-Adapter"));
  }

  @Test
  void sd3FluxAndUnknownFiles() throws Exception {
    assertTrue(refusal("sd3.safetensors", new SafetensorsWriter()
        .f16("model.diffusion_model.joint_blocks.0.context_block.adaLN_modulation.1.bias", z(2), 2))
        .contains("Stable Diffusion 3"));
    assertTrue(refusal("flux.safetensors", new SafetensorsWriter()
        .f16("double_blocks.0.img_attn.norm.key_norm.scale", z(2), 2)).contains("Flux"));
    String unknown = refusal("weird.safetensors", new SafetensorsWriter().f32("foo.bar", z(2), 2));
    assertTrue(unknown.contains("foo.bar") && unknown.contains("Stable Diffusion 1.x"), unknown);
  }

  @Test
  void aUnetWithoutVaeOrTextEncoderIsIncomplete() throws Exception {
    String m = refusal("unet-only.safetensors", new SafetensorsWriter()
        .f16("model.diffusion_model.input_blocks.0.0.weight", z(4), 1, 4));
    assertTrue(m.contains("no VAE") && m.contains("full checkpoint"), m);
  }
}
