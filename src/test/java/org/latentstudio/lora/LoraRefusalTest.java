package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.lora.LoraRuns.Lora;
import org.latentstudio.lora.LoraRuns.Run;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.SafetensorsWriter;

/**
 * Files that cannot be applied as a LoRA are refused by the loader node with a message that names the file, says
 * what it is and what to do; a LoRA that fits only part of the model runs, says how much, and lists the rest. The
 * fixtures carry the key names and shapes real files of each kind have.
 */
class LoraRefusalTest extends AppTest {
  @TempDir
  static Path tmp;

  private static float[] z(int n) {
    return new float[n];
  }

  /** The loader's message for {@code file}, which must name it. */
  private static String refusal(Path file) throws Exception {
    Run run = LoraRuns.attempt(app, LoraRuns.TINY_DIFFUSERS, tmp, List.of(new Lora(file, 1, 1)));
    String m = LoraRuns.failure(run);
    assertTrue(m.contains(file.getFileName().toString()), "names the file: " + m);
    assertTrue(!m.contains("Exception") && !m.contains("\tat "), "no stack trace: " + m);
    return m;
  }

  private static Path write(String name, SafetensorsWriter w) throws Exception {
    return w.write(tmp.resolve(name));
  }

  @Test
  void aTruncatedFile() throws Exception {
    Path copy = tmp.resolve("cut.safetensors");
    Files.copy(LoraRuns.DIR.resolve("tiny_a_kohya.safetensors"), copy);
    try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() * 6 / 10);
    }
    String m = refusal(copy);
    assertTrue(m.contains("truncated"), m);
  }

  @Test
  void keysThatMatchNothingWithAGuessAtTheModelTheLoraWasMadeFor() throws Exception {
    // SD1.5's widths: 320-wide first block, 768-wide text
    String sd1 = refusal(write("sd15.safetensors", new SafetensorsWriter()
        .f16("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight", z(4 * 768), 4, 768)
        .f16("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight", z(320 * 4), 320, 4)
        .f16("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.alpha", z(1))));
    assertTrue(sd1.contains("matches none of the weights") && sd1.contains("Stable Diffusion 1.x")
        && sd1.contains("768-wide text, this model's 32-wide"), sd1);
    // SD2: its cross-attention reads OpenCLIP's 1024-wide text
    String sd2 = refusal(write("sd21.safetensors", new SafetensorsWriter()
        .f16("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v.lora_down.weight", z(4 * 1024), 4, 1024)
        .f16("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v.lora_up.weight", z(320 * 4), 320, 4)));
    assertTrue(sd2.contains("Stable Diffusion 2.x"), sd2);
    String meta = refusal(write("sd2meta.safetensors", new SafetensorsWriter().meta("ss_base_model_version", "sd_v2")
        .f16("lora_unet_mid_block_attentions_0_proj_in.lora_down.weight", z(4 * 1280), 4, 1280, 1, 1)
        .f16("lora_unet_mid_block_attentions_0_proj_in.lora_up.weight", z(1280 * 4), 1280, 4, 1, 1)));
    assertTrue(meta.contains("metadata") && meta.contains("Stable Diffusion 2.x"), meta);
  }

  @Test
  void aPartialMatchRunsAndListsWhatItLeftOut() throws Exception {
    Path file = write("partial.safetensors", new SafetensorsWriter()
        .f32("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", z(64), 4, 16)
        .f32("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", z(64), 16, 4)
        .f32("lora_unet_down_blocks_3_attentions_0_proj_in.lora_down.weight", z(64), 4, 16)
        .f32("lora_unet_down_blocks_3_attentions_0_proj_in.lora_up.weight", z(64), 16, 4)
        .f32("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight", z(4 * 768), 4, 768)
        .f32("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight", z(128), 32, 4));
    Run run = LoraRuns.attempt(app, LoraRuns.TINY_DIFFUSERS, tmp, List.of(new Lora(file, 1, 1)));
    assertTrue(run.result().succeeded(), run.result().failureMessage());
    List<String> shown = run.shown("lora");
    assertEquals("partial.safetensors: matched 1 of 3 keys (UNet 1)", shown.get(0));
    assertTrue(shown.get(1).contains("lora_unet_down_blocks_3_attentions_0_proj_in (the UNet has no such layer)"),
        shown.toString());
    assertTrue(shown.get(1).contains("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k (it changes a "
        + "[32, 768] weight, the model's mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight is [32, 32])"),
        shown.toString());
    assertEquals(1, run.warnings().size(), run.warnings().toString());
    assertTrue(run.warnings().getFirst().startsWith("lora: partial.safetensors matched 1 of 3 keys; 2 left out"),
        run.warnings().toString());
  }

  @Test
  void variantsWeDoNotApplyAreNamed() throws Exception {
    String key = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
    assertTrue(refusal(write("loha.safetensors", new SafetensorsWriter()
        .f16(key + ".hada_w1_a", z(64), 16, 4).f16(key + ".hada_w1_b", z(64), 4, 16)
        .f16(key + ".hada_w2_a", z(64), 16, 4).f16(key + ".hada_w2_b", z(64), 4, 16).f16(key + ".alpha", z(1))))
        .contains("LoHa"));
    assertTrue(refusal(write("lokr.safetensors", new SafetensorsWriter()
        .f16(key + ".lokr_w1", z(16), 4, 4).f16(key + ".lokr_w2", z(16), 4, 4))).contains("LoKr"));
    assertTrue(refusal(write("dora.safetensors", new SafetensorsWriter()
        .f16(key + ".lora_down.weight", z(64), 4, 16).f16(key + ".lora_up.weight", z(64), 16, 4)
        .f16(key + ".dora_scale", z(16), 1, 16))).contains("DoRA"));
    assertTrue(refusal(write("tucker.safetensors", new SafetensorsWriter()
        .f16(key + ".lora_down.weight", z(64), 4, 16, 1, 1).f16(key + ".lora_mid.weight", z(144), 4, 4, 3, 3)
        .f16(key + ".lora_up.weight", z(64), 16, 4, 1, 1))).contains("lora_mid"));
    String xl = refusal(write("xl.safetensors", new SafetensorsWriter()
        .f16("lora_te1_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", z(4 * 768), 4, 768)
        .f16("lora_te1_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", z(4 * 3072), 3072, 4)
        .f16("lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", z(4 * 1280), 4, 1280)
        .f16("lora_te2_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", z(4 * 5120), 5120, 4)));
    assertTrue(xl.contains("SDXL LoRA") && xl.contains("second text encoder"), xl);
    assertTrue(refusal(write("xlmeta.safetensors", new SafetensorsWriter().meta("ss_base_model_version", "sdxl_base_v1-0")
        .f16(key + ".lora_down.weight", z(64), 4, 16).f16(key + ".lora_up.weight", z(64), 16, 4))).contains("SDXL"));
  }

  @Test
  void aCheckpointGivenAsALora() throws Exception {
    String unet = refusal(LoraRuns.TINY_DIFFUSERS.resolve("unet/diffusion_pytorch_model.safetensors"));
    assertTrue(unet.contains("not a LoRA") && unet.contains("UNet alone") && unet.contains("Load Checkpoint"), unet);
    String single = refusal(write("model.safetensors", new SafetensorsWriter()
        .f16("model.diffusion_model.input_blocks.0.0.weight", z(4), 1, 4)
        .f16("first_stage_model.decoder.conv_in.weight", z(4), 1, 4)));
    assertTrue(single.contains("is a Stable Diffusion 1.x checkpoint, not a LoRA"), single);
    Path pt = Files.write(tmp.resolve("old.pt"), new byte[] {0x50, 0x4b, 3, 4});
    assertTrue(refusal(pt).contains("not a .safetensors file"));
  }

  @Test
  void aLoraGivenAsACheckpoint() throws Exception {
    Graph g = Overrides.apply(new WorkflowCodec().read(Path.of("graphs", "txt2img.json")).graph(), app.registry(),
        List.of("checkpoint.path=" + LoraRuns.DIR.resolve("tiny_a_kohya.safetensors")));
    app.executor().cache().clear();
    RunResult r = app.executor().run(new RunRequest(g, Set.of(), new RunSettings(tmp, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    String m = r.error().reason();
    assertTrue(m.contains("tiny_a_kohya.safetensors") && m.contains("LoRA loader"), m);
  }

  @Test
  void aMissingNameListsTheLorasThereAre() throws Exception {
    Run run = LoraRuns.attempt(app, LoraRuns.TINY_DIFFUSERS, tmp, List.of(new Lora(Path.of("no-such-lora"), 1, 1)));
    String m = LoraRuns.failure(run);
    assertTrue(m.contains("no LoRA 'no-such-lora'") && m.contains("loras"), m);
  }

  @Test
  void theModelOnlyLoaderRefusesALoraForTheTextEncoderAlone() throws Exception {
    Path file = write("te.safetensors", new SafetensorsWriter()
        .f32("lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", z(128), 4, 32)
        .f32("lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", z(128), 32, 4));
    Graph modelOnly = LoraRuns.graph(app, LoraRuns.TINY_DIFFUSERS, List.of())
        .withNode(Node.of("lora", "LoraLoaderModelOnly").withWidget("lora_name", file.toString()))
        .withLink(Link.of("checkpoint", "MODEL", "lora", "model"))
        .withLink(Link.of("lora", "MODEL", "sampler", "model"));
    app.executor().cache().clear();
    RunResult r = app.executor().run(new RunRequest(modelOnly, Set.of(), new RunSettings(tmp, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    String m = r.error().reason();
    assertTrue(m.contains("te.safetensors") && m.contains("changes only the text encoder")
        && m.contains("Load LoRA"), m);
  }
}
