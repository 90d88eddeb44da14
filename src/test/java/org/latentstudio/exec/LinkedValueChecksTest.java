package org.latentstudio.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.AppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value that comes by link is checked like one typed on the node, and the message names the node that
 * received it. Before, a linked width of 7 reached ONNX Runtime's Conv, a batch of 0 failed with "Index 0 out
 * of bounds" and 1e9 steps ran out of memory after 20 s. Runs the default workflow on the bundled model.
 */
class LinkedValueChecksTest extends AppTest {
  @TempDir
  static Path out;

  /** The default workflow with {@code input} fed by a PrimitiveInt holding {@code value}. */
  static RunResult runWithLinked(String input, long value) throws Exception {
    Graph g = new WorkflowCodec().read(Path.of("graphs/txt2img.json")).graph()
        .withNode(Node.of("number", "PrimitiveInt").withWidget("value", value));
    String[] to = input.split("\\.");
    g = g.withoutLink(new org.latentstudio.graph.PortRef(NodeId.of(to[0]), to[1]))
        .withLink(Link.of("number", "INT", to[0], to[1]));
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), ""), ExecutionListener.NONE,
        new CancellationToken());
  }

  @Test
  void linkedValuesOutOfRangeNameTheReceivingNode() throws Exception {
    for (Object[] c : List.of(
        new Object[] {"latent.width", 7L, "node 'latent' (EmptyLatentImage) failed: input 'width' (from number.INT): "
            + "value 7 is below the minimum 8"},
        new Object[] {"latent.width", 100L, "input 'width' (from number.INT): value 100 is not a multiple of 8. "
            + "Fix: use 96 or 104"},
        new Object[] {"latent.batch_size", 0L, "node 'latent' (EmptyLatentImage) failed: input 'batch_size' (from "
            + "number.INT): value 0 is below the minimum 1"},
        new Object[] {"sampler.steps", 1_000_000_000L, "node 'sampler' (KSampler) failed: input 'steps' (from "
            + "number.INT): value 1000000000 is above the maximum 10000"})) {
      long t0 = System.nanoTime();
      RunResult r = runWithLinked((String) c[0], (Long) c[1]);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(RunResult.Status.FAILED, r.status(), () -> c[0] + "=" + c[1] + ": " + r.status());
      assertTrue(r.failureMessage().contains((String) c[2]), () -> c[0] + "=" + c[1] + ": " + r.failureMessage());
      assertTrue(seconds < 10, c[0] + " took " + seconds + " s to refuse");
    }
  }

  @Test
  void linkedValuesInRangeStillRun() throws Exception {
    RunResult r = runWithLinked("sampler.steps", 3);
    assertTrue(r.succeeded(), r::failureMessage);
  }
}
