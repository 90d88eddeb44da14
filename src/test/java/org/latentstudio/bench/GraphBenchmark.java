package org.latentstudio.bench;

import static org.latentstudio.bench.Stats.median;
import static org.latentstudio.bench.Stats.p95;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.latentstudio.exec.CacheKey;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Plan;
import org.latentstudio.exec.Planner;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.nodes.BuiltinNodes;

/**
 * How long the executor's bookkeeping takes on a big graph: validate, plan (order) and a run where every node
 * is cached. Not a test; run it with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.latentstudio.bench.GraphBenchmark}.
 */
public final class GraphBenchmark {
  private static final int NODES = 1000;
  private static final int ROUNDS = 200;

  public static void main(String[] args) throws Exception {
    NodeRegistry registry = BuiltinNodes.registry();
    Graph graph = layeredGraph(NODES, new Random(7));
    try (Executor executor = new Executor(registry, new OutputCache(1L << 30), new Services())) {
      RunRequest request = new RunRequest(graph, Set.of(), RunSettings.defaults(Path.of("output")), "");
      RunResult first = executor.run(request, ExecutionListener.NONE, new CancellationToken());
      if (!first.succeeded() || first.executed() != NODES) {
        throw new IllegalStateException("benchmark graph did not run fully: " + first.failureMessage());
      }
      GraphValidator validator = new GraphValidator(registry);
      Planner planner = new Planner(registry);
      double[] validate = new double[ROUNDS];
      double[] plan = new double[ROUNDS];
      double[] cachedRun = new double[ROUNDS];
      for (int warm = 0; warm < 2; warm++) {
        for (int i = 0; i < ROUNDS; i++) {
          long t0 = System.nanoTime();
          validator.validate(graph);
          long t1 = System.nanoTime();
          Plan p = planner.plan(graph, Set.of());
          CacheKey.forPlan(p, registry, new Services());
          long t2 = System.nanoTime();
          RunResult r = executor.run(request, ExecutionListener.NONE, new CancellationToken());
          long t3 = System.nanoTime();
          if (r.executed() != 0) {
            throw new IllegalStateException("expected everything cached, ran " + r.executed());
          }
          validate[i] = (t1 - t0) / 1e6;
          plan[i] = (t2 - t1) / 1e6;
          cachedRun[i] = (t3 - t2) / 1e6;
        }
      }
      System.out.printf("graph: %d nodes, %d links; %d rounds after warm-up%n", graph.nodes().size(),
          graph.links().size(), ROUNDS);
      System.out.printf("validate                 median %.2f ms  p95 %.2f ms%n", median(validate), p95(validate));
      System.out.printf("plan + cache keys        median %.2f ms  p95 %.2f ms%n", median(plan), p95(plan));
      System.out.printf("run, everything cached   median %.2f ms  p95 %.2f ms  (validates, orders, looks up)%n",
          median(cachedRun), p95(cachedRun));
    }
  }

  /** A chain of IntMath nodes where each also takes one random earlier node, ending in one ShowValue. */
  static Graph layeredGraph(int n, Random random) {
    Graph g = Graph.empty()
        .withNode(Node.of("n0", "PrimitiveInt").withWidget("value", 1L))
        .withNode(Node.of("n1", "PrimitiveInt").withWidget("value", 2L));
    List<String> ops = List.of("max", "min");
    for (int i = 2; i < n - 1; i++) {
      g = g.withNode(Node.of("n" + i, "IntMath").withWidget("operation", ops.get(i % 2)))
          .withLink(Link.of("n" + (i - 1), "INT", "n" + i, "a"))
          .withLink(Link.of("n" + random.nextInt(i - 1), "INT", "n" + i, "b"));
    }
    return g.withNode(Node.of("show", "ShowValue")).withLink(Link.of("n" + (n - 2), "INT", "show", "value"));
  }

}
