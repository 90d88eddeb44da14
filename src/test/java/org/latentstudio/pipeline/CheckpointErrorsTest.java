package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.RunResult;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.SafetensorsWriter;
import org.latentstudio.testing.TestModels;
import org.latentstudio.testing.WorkflowRuns;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;

/**
 * Broken checkpoints given to the loader as a user would (graphs/txt2img.json with checkpoint.path set): each
 * fails at the checkpoint node with a message that names the file and the problem, never a wrong picture.
 */
class CheckpointErrorsTest extends AppTest {
  @TempDir
  Path tmp;

  private String failure(Path checkpoint) throws Exception {
    RunResult r = WorkflowRuns.run(app, tmp, "txt2img.json", List.of("checkpoint.path=" + checkpoint));
    assertFalse(r.succeeded(), "must not run");
    assertTrue(r.failureMessage().contains("checkpoint"), r.failureMessage());
    return r.failureMessage();
  }

  @Test
  void aVaeScalingFactorThatIsNotANumber() throws Exception {
    Path copy = TestModels.copyOf(TestModels.tinySd(), tmp);
    Path config = copy.resolve("vae_decoder/config.json");
    Files.writeString(config, Files.readString(config).replaceFirst("\"scaling_factor\": [0-9.]+",
        "\"scaling_factor\": \"abc\""));
    String m = failure(copy);
    assertTrue(m.contains(config.toString()) && m.contains("'scaling_factor'") && m.contains("number"), m);
  }

  @Test
  void aNegativeBetaEnd() throws Exception {
    Path copy = TestModels.copyOf(TestModels.tinySd(), tmp);
    Path config = copy.resolve("scheduler/scheduler_config.json");
    Files.writeString(config, Files.readString(config).replaceFirst("\"beta_end\": [0-9.]+", "\"beta_end\": -5"));
    String m = failure(copy);
    assertTrue(m.contains(config.toString()) && m.contains("'beta_end'"), m);
  }

  @Test
  void aReadmeGivenAsACheckpoint() throws Exception {
    Path readme = Files.writeString(tmp.resolve("README.md"), "# not a model\n");
    String m = failure(readme);
    assertTrue(m.contains(readme.toString()) && m.contains("is not a checkpoint") && m.contains(".safetensors"), m);
  }

  @Test
  void aTokenizerThatDoesNotFitTheTextEncoder() throws Exception {
    Path copy = TestModels.copyOf(TestModels.shapesPack(), tmp);
    for (String f : List.of("vocab.json", "merges.txt")) {
      Files.copy(TestModels.tinySd().resolve("tokenizer").resolve(f), copy.resolve("tokenizer").resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    String m = failure(copy);
    assertTrue(m.contains("831 tokens") && m.contains("embeds only 607") && m.contains("another model"), m);
  }

  @Test
  void missingWeightsAreCountedAndTheFirstNamed() throws Exception {
    Path copy = TestModels.copyOf(TestModels.shapesPack(), tmp);
    Path unet = copy.resolve("unet/diffusion_pytorch_model.safetensors");
    SafetensorsWriter w = new SafetensorsWriter();
    int dropped = 0;
    for (StoredTensor t : SafetensorsFile.open(unet).tensors().byName().values()) {
      if (t.name().startsWith("up_blocks.1.attentions.0.transformer_blocks.0.attn2.")) {
        dropped++;
        continue;
      }
      w.f32(t.name(), t.readFloats(), t.shape());
    }
    w.write(unet);
    String m = failure(copy);
    assertTrue(m.contains("lacks " + dropped + " of the UNet's weights") && m.contains("up_blocks.1.attentions.0"),
        m);
  }
}
