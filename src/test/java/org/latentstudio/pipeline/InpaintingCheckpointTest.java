package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.RunResult;
import org.latentstudio.graph.NodeId;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.TestModels;
import org.latentstudio.testing.WorkflowRuns;

/**
 * A 9-channel inpainting checkpoint (model d of the compiler set: a single bf16 file with its config folder) runs
 * the shipped text-to-image and inpainting graphs; the mask and masked-picture channels are filled as ComfyUI
 * fills them.
 */
class InpaintingCheckpointTest extends AppTest {
  static final Path SET = TestModels.resources().resolve("compiler");
  @TempDir
  Path out;

  private RunResult run(String workflow, String... sets) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("checkpoint.path=" + SET.resolve("d/d-bf16.safetensors"),
        "checkpoint.config=" + SET.resolve("d/config"), "sampler.steps=6"));
    all.addAll(List.of(sets));
    return WorkflowRuns.run(app, out, workflow, all);
  }

  @Test
  void textToImageAndInpaintingRunOnANineChannelUnet() throws Exception {
    RunResult txt2img = run("txt2img.json", "latent.width=64", "latent.height=64");
    assertTrue(txt2img.succeeded(), txt2img::failureMessage);
    Latent l = (Latent) txt2img.outputs().get(NodeId.of("sampler")).get("LATENT");
    assertEquals(4, l.samples().dim(1), "the UNet predicts 4 channels from its 9");
    RunResult inpaint = run("inpaint.json");
    assertTrue(inpaint.succeeded(), inpaint::failureMessage);
  }
}
