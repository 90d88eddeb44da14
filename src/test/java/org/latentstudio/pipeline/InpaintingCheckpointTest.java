package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.testing.TestModels;

/**
 * A 9-channel inpainting checkpoint (model d of the compiler set: a single bf16 file with its config folder) runs
 * the shipped text-to-image and inpainting graphs; the mask and masked-picture channels are filled as ComfyUI
 * fills them.
 */
class InpaintingCheckpointTest {
  static final Path SET = TestModels.resources().resolve("compiler");
  static AppContext app;

  @TempDir
  Path out;

  @BeforeAll
  static void start() {
    app = new AppContext();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private RunResult run(String workflow, String... sets) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("checkpoint.path=" + SET.resolve("d/d-bf16.safetensors"),
        "checkpoint.config=" + SET.resolve("d/config"), "sampler.steps=6"));
    all.addAll(List.of(sets));
    var g = Overrides.apply(new WorkflowCodec().read(Path.of("graphs", workflow)).graph(), app.registry(), all);
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), "{}"), ExecutionListener.NONE,
        new CancellationToken());
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
