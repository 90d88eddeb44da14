package org.latentstudio.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.Problem;
import org.latentstudio.nodes.BuiltinNodes;

/**
 * A run whose output needs a node of a type nobody registered must stop and name that node; it used to
 * plan nothing and report success.
 */
class PlannerUnknownTypeTest {
  @Test
  void anUnknownTypeOnTheWayToAnOutputStopsTheRun() {
    Graph g = Graph.empty()
        .withNode(Node.of("alien", "FancyUpscaler"))
        .withNode(Node.of("show", "ShowValue"))
        .withLink(Link.of("alien", "IMAGE", "show", "value"));
    try (Executor ex = new Executor(BuiltinNodes.registry(), new OutputCache(1 << 20), new Services())) {
      RunResult r = ex.run(new RunRequest(g, Set.of(), RunSettings.defaults(Path.of("out")), ""),
          ExecutionListener.NONE, new CancellationToken());
      assertEquals(RunResult.Status.INVALID, r.status());
      assertTrue(r.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.UNKNOWN_TYPE
          && p.node().value().equals("alien")), r.problems().toString());
    }
  }
}
