package org.latentstudio.nodes.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.AppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions made before a workflow's first run are the ones that run uses. */
class SessionPrefetchTest extends AppTest {
  @TempDir
  Path out;

  @Test
  void theFirstRunFindsEverySessionItNeedsMadeAlready() throws Exception {
    Graph graph = new WorkflowCodec().read(Path.of("graphs/txt2img.json")).graph();
    assertEquals(List.of(new SessionPrefetch.Target("shapes", "", 1, 64, 64, true)), SessionPrefetch.targets(graph));
    int before = app.runtime().modelLoads();
    SessionPrefetch.start(SessionPrefetch.targets(graph), app.services()).await();
    int made = app.runtime().modelLoads() - before;
    assertEquals(3, made, "UNet, VAE decoder, text encoder");
    RunResult r = app.executor().run(new RunRequest(graph, Set.of(), new RunSettings(out, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertTrue(r.succeeded(), String.valueOf(r.failureMessage()));
    assertEquals(before + made, app.runtime().modelLoads(), "the run made no session of its own");
  }

  @Test
  void anEditStartsSessionsOnlyWhenWhatTheGraphSamplesWithChanges() throws Exception {
    Graph graph = new WorkflowCodec().read(Path.of("graphs/txt2img.json")).graph();
    Graph reworded = graph.withNode(graph.require(NodeId.of("positive")).withWidget("text", "a blue square"));
    Graph wider = graph.withNode(graph.require(NodeId.of("latent")).withWidget("width", 128L));
    try (AppContext studio = new AppContext()) {
      assertTrue(studio.prefetchSessions(graph), "the graph on screen");
      assertFalse(studio.prefetchSessions(reworded), "another prompt samples with the same sessions");
      assertTrue(studio.prefetchSessions(wider), "another size needs a UNet session of its own");
    }
  }

  @Test
  void aSamplerWhoseModelPassesThroughALoraIsLeftToTheRun() throws Exception {
    Graph graph = new WorkflowCodec().read(Path.of("graphs/lora.json")).graph();
    assertEquals(List.of(), SessionPrefetch.targets(graph));
  }
}
