package org.latentstudio.interop.comfy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Problem;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.Resources;

/**
 * The hand-made ComfyUI workflows run on the bundled shapes model and make, byte for byte, the picture our own
 * workflow of the same graph makes: the API prompt, and the UI workflow with its primitive, reroutes, bypassed
 * and muted nodes. A workflow with nodes we lack is refused, naming each.
 */
class ComfyRunTest extends AppTest {
  @TempDir
  static Path out;

  /** Runs with an empty cache: identical cache keys would hand back the first picture without running. */
  static RunResult run(Graph g) {
    app.executor().cache().clear();
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), ""), ExecutionListener.NONE,
        new CancellationToken());
  }

  static RgbImage picture(RunResult r) {
    assertTrue(r.succeeded(), r::failureMessage);
    for (Outputs o : r.outputs().values()) {
      if (!o.display().images().isEmpty()) {
        return o.display().images().get(0);
      }
    }
    throw new AssertionError("no picture");
  }

  @ParameterizedTest
  @CsvSource({"txt2img", "img2img", "inpaint"})
  void apiAndUiFormatsMakeOurWorkflowsPicture(String name) throws Exception {
    RgbImage ours = picture(run(new WorkflowCodec().read(Path.of("graphs", name + ".json")).graph()));
    Graph api = new ComfyPromptReader(app.registry(), ModelNames.of(app.models()))
        .read(Resources.json("comfy/" + name + ".api.json"), name).workflow().graph();
    RgbImage fromApi = picture(run(api));
    assertEquals(ours.width(), fromApi.width());
    assertArrayEquals(ours.rgb(), fromApi.rgb(), "the API prompt makes our picture");
    Graph ui = new ComfyWorkflowReader(app.registry(), ModelNames.of(app.models()))
        .read(Resources.json("comfy/" + name + ".ui.json"), name).workflow().graph();
    assertArrayEquals(ours.rgb(), picture(run(ui)).rgb(), "the UI workflow makes our picture");
  }

  @Test
  void aDifferentSeedMakesAnotherPicture() throws Exception {
    Graph api = new ComfyPromptReader(app.registry(), ModelNames.of(app.models()))
        .read(Resources.json("comfy/txt2img.api.json"), "t")
        .workflow().graph();
    var sampler = api.require(NodeId.of("3"));
    RgbImage a = picture(run(api));
    RgbImage b = picture(run(api.withNode(sampler.withWidget("seed", 43L))));
    assertTrue(!java.util.Arrays.equals(a.rgb(), b.rgb()), "the comparison above can tell pictures apart");
  }

  @Test
  void nodesWeLackStopTheRunAndAreAllNamed() throws Exception {
    Graph g = new ComfyWorkflowReader(app.registry(), null).read(Resources.json("comfy/unsupported.ui.json"), "u")
        .workflow().graph();
    RunResult r = run(g);
    assertEquals(RunResult.Status.INVALID, r.status());
    var unknown = r.problems().stream().filter(p -> p.kind() == Problem.Kind.UNKNOWN_TYPE)
        .map(p -> p.node().value() + " " + p.nodeType()).sorted().toList();
    assertEquals(java.util.List.of("11 UpscaleModelLoader", "12 ImageUpscaleWithModel"), unknown);
  }
}
