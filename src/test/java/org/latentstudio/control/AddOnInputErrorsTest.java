package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.SafetensorsWriter;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad add-on files, each refused with a message that names the file and says what to do. */
class AddOnInputErrorsTest extends AppTest {
  static Path dir = TestModels.control();

  @TempDir
  static Path tmp;

  static String failure(Graph g) {
    RunResult r = app.executor().run(new RunRequest(g, Set.of(), new RunSettings(tmp, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertFalse(r.succeeded(), "should have failed");
    String m = r.failureMessage();
    assertFalse(m.contains("Exception") || m.contains("\tat "), "a stack trace, not a message: " + m);
    return m;
  }

  static Graph control(Path checkpoint, Path net) {
    return ControlGraphs.controlled(ControlGraphs.base(checkpoint, "a circle", 1, 2, 5, 64), new Path[] {net},
        new Path[] {dir.resolve("control_a.png")}, new double[] {1}, 0, 1).build();
  }

  @Test
  void aControlNetForAnotherBaseModelNamesBothShapes() {
    // the tiny set's ControlNet (blocks 16, 32, 32) on the shapes pack (blocks 32, 64)
    String m = failure(control(TestModels.resources().resolve("../../../assets/models/shapes").normalize(),
        dir.resolve("controlnet-b.safetensors")));
    assertTrue(m.contains("controlnet-b.safetensors") && m.contains("[16, 32, 32]") && m.contains("[32, 64]")
        && m.contains("another base model"), m);
  }

  @Test
  void aTruncatedControlNetIsNamed() throws Exception {
    Path cut = tmp.resolve("cut-controlnet.safetensors");
    byte[] all = Files.readAllBytes(dir.resolve("controlnet-b.safetensors"));
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    String m = failure(control(dir.resolve("tiny-sd"), cut));
    assertTrue(m.contains("cut-controlnet.safetensors") && (m.contains("truncated") || m.contains("past the end")
        || m.contains("shorter")), m);
  }

  @Test
  void aCheckpointGivenAsControlNetSaysWhatItIs() throws Exception {
    Path lora = new SafetensorsWriter().f32("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight",
        new float[4], 2, 2).write(tmp.resolve("some-lora.safetensors"));
    String m = failure(control(dir.resolve("tiny-sd"), lora));
    assertTrue(m.contains("some-lora.safetensors") && m.contains("a LoRA") && m.contains("not a ControlNet"), m);
  }

  static Graph ip(Path adapter, Path encoder) {
    return ControlGraphs.ipAdapter(ControlGraphs.base(dir.resolve("tiny-sd"), "a circle", 1, 2, 5, 64), adapter,
        encoder, dir.resolve("ip_reference.png"), 1, "linear", 0, 1).build();
  }

  @Test
  void plusAndFaceIdAdaptersAreRefusedByName() throws Exception {
    Path plus = new SafetensorsWriter().f32("image_proj.latents", new float[16 * 32], 1, 16, 32)
        .f32("image_proj.proj_in.weight", new float[32 * 24], 32, 24)
        .f32("ip_adapter.1.to_k_ip.weight", new float[16 * 32], 16, 32)
        .write(tmp.resolve("ip-adapter-plus_sd15.safetensors"));
    String m = failure(ip(plus, dir.resolve("image_encoder")));
    assertTrue(m.contains("ip-adapter-plus_sd15.safetensors") && m.contains("IP-Adapter Plus"), m);
    Path faceId = new SafetensorsWriter().f32("image_proj.proj.0.weight", new float[4], 2, 2)
        .f32("image_proj.proj.2.weight", new float[4], 2, 2).f32("image_proj.norm.weight", new float[2], 2)
        .f32("ip_adapter.1.to_k_lora.down.weight", new float[4], 2, 2)
        .f32("ip_adapter.1.to_k_ip.weight", new float[4], 2, 2)
        .write(tmp.resolve("ip-adapter-faceid_sd15.safetensors"));
    m = failure(ip(faceId, dir.resolve("image_encoder")));
    assertTrue(m.contains("ip-adapter-faceid_sd15.safetensors") && m.contains("FaceID"), m);
  }

  @Test
  void aVisionEncoderOfAnotherWidthIsRefused() throws Exception {
    Path enc = tmp.resolve("wide_encoder");
    Files.createDirectories(enc);
    Files.copy(dir.resolve("image_encoder/model.safetensors"), enc.resolve("model.safetensors"));
    Files.writeString(enc.resolve("config.json"), Files.readString(dir.resolve("image_encoder/config.json"))
        .replace("\"projection_dim\": 24", "\"projection_dim\": 16"));
    String m = failure(ip(dir.resolve("ip-adapter.safetensors"), enc));
    assertTrue(m.contains("wide_encoder") && m.contains("16-wide") && m.contains("24-wide"), m);
  }
}
