package org.latentstudio.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Problem;
import org.latentstudio.testing.CountingNodes;
import org.latentstudio.testing.GraphBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorTest {
  private final CountingNodes nodes = new CountingNodes();
  private final Executor executor = new Executor(nodes.registry(), new OutputCache(1 << 20), new Services());

  @AfterEach
  void close() {
    executor.close();
  }

  /** (2 + 3) -> sum -> show; plus an unrelated dangling branch that must not run. */
  private static Graph sumGraph(int a) {
    return new GraphBuilder()
        .node("a", "Const", "value", a)
        .node("b", "Const", "value", 3)
        .node("sum", "Add")
        .node("show", "Sink")
        .node("unused", "Const", "value", 99)
        .link("a.INT", "sum.a").link("b.INT", "sum.b").link("sum.INT", "show.value")
        .build();
  }

  private RunResult run(Graph g, ExecutionListener listener) {
    return executor.run(new RunRequest(g, Set.of(), RunSettings.defaults(Path.of("out")), ""), listener,
        new CancellationToken());
  }

  private RunResult run(Graph g) {
    return run(g, ExecutionListener.NONE);
  }

  @Test
  void runsOnlyWhatTheOutputsNeedInTopologicalOrder() {
    List<String> started = new ArrayList<>();
    RunResult r = run(sumGraph(2), new ExecutionListener() {
      @Override
      public void nodeStarted(NodeId id, String type) {
        started.add(id.value());
      }
    });
    assertTrue(r.succeeded(), r::failureMessage);
    assertEquals(List.of("a", "b", "sum", "show"), started);
    assertEquals("5", r.outputs().get(NodeId.of("show")).display().text().get(0));
    assertEquals(4, nodes.total(), "the unused Const must not run");
  }

  @Test
  void afterAnEditOnlyTheChangedNodeAndItsDependentsRunAgain() {
    run(sumGraph(2));
    assertEquals(4, nodes.total());

    nodes.reset();
    RunResult again = run(sumGraph(2));
    assertEquals(0, nodes.total(), "nothing changed, nothing runs");
    assertEquals(4, again.cached());

    nodes.reset();
    RunResult edited = run(sumGraph(7));
    assertEquals(1, nodes.count("Const"), "only the edited Const runs, not b");
    assertEquals(1, nodes.count("Add"));
    assertEquals(1, nodes.count("Sink"));
    assertEquals(3, edited.executed());
    assertEquals("10", edited.outputs().get(NodeId.of("show")).display().text().get(0));
  }

  @Test
  void identicalUpstreamPartsShareCacheKeysWhateverTheirIds() {
    run(sumGraph(2));
    nodes.reset();
    Graph renamed = new GraphBuilder()
        .node("x", "Const", "value", 2).node("y", "Const", "value", 3).node("s", "Add").node("out", "Sink")
        .link("x.INT", "s.a").link("y.INT", "s.b").link("s.INT", "out.value")
        .build();
    run(renamed);
    assertEquals(0, nodes.total());
  }

  @Test
  void swappingInputsChangesTheKey() {
    run(sumGraph(2));
    nodes.reset();
    Graph swapped = new GraphBuilder()
        .node("a", "Const", "value", 2).node("b", "Const", "value", 3).node("sum", "Add").node("show", "Sink")
        .link("b.INT", "sum.a").link("a.INT", "sum.b").link("sum.INT", "show.value")
        .build();
    run(swapped);
    assertEquals(1, nodes.count("Add"), "a+b and b+a are different computations to the cache");
  }

  @Test
  void cacheKeepsToItsByteBudgetEvictingTheLeastRecentlyUsed() {
    OutputCache cache = new OutputCache(10_000);
    Outputs small = Outputs.none().with("LATENT", new CountingNodes.Bytes(4000, 0));
    CacheKey k1 = new CacheKey("1");
    CacheKey k2 = new CacheKey("2");
    CacheKey k3 = new CacheKey("3");
    cache.put(k1, small);
    cache.put(k2, small);
    cache.get(k1); // k2 is now the least recently used
    cache.put(k3, small);
    assertTrue(cache.usedBytes() <= 10_000, cache::stats);
    assertTrue(cache.contains(k1) && cache.contains(k3));
    assertTrue(!cache.contains(k2), "the least recently used entry goes first");

    cache.put(new CacheKey("big"), Outputs.none().with("LATENT", new CountingNodes.Bytes(50_000, 0)));
    assertTrue(!cache.contains(new CacheKey("big")), "a result larger than the budget is not kept");
    assertTrue(cache.contains(k1), "and does not flush the rest");
  }

  @Test
  void evictedResultsAreRecomputed() {
    executor.cache().setBudget(0);
    run(sumGraph(2));
    nodes.reset();
    run(sumGraph(2));
    assertEquals(4, nodes.total());
  }

  @Test
  void errorsCarryTheNodeIdAndAUserMessage() {
    Graph g = new GraphBuilder().node("boom", "Fail").node("show", "Sink").link("boom.INT", "show.value").build();
    List<NodeExecutionException> failures = new ArrayList<>();
    RunResult r = run(g, new ExecutionListener() {
      @Override
      public void nodeFailed(NodeExecutionException error) {
        failures.add(error);
      }
    });
    assertEquals(RunResult.Status.FAILED, r.status());
    assertEquals(NodeId.of("boom"), r.error().nodeId());
    assertEquals("node 'boom' (Fail) failed: the model file is missing; put it in the models folder",
        r.error().getMessage());
    assertEquals(List.of(r.error()), failures);
  }

  @Test
  void invalidGraphsDoNotRunAndSayWhy() {
    Graph g = new GraphBuilder().node("show", "Sink").build();
    RunResult r = run(g);
    assertEquals(RunResult.Status.INVALID, r.status());
    assertEquals(Problem.Kind.MISSING_INPUT, r.problems().get(0).kind());
    assertEquals(0, nodes.total());
  }

  @Test
  void problemsInNodesTheRunDoesNotNeedDoNotStopIt() {
    // an Add with nothing linked into it, out of the run's way
    Graph g = sumGraph(2).withNode(org.latentstudio.graph.Node.of("broken", "Add"));
    assertTrue(run(g).succeeded());
  }

  @Test
  void aNodeOfAnUnknownTypeStopsTheRunWhereverItIsUnlessMuted() {
    // it may be an output node or feed one in ways its unknown ports hide (an imported ComfyUI node we lack)
    Graph g = sumGraph(2).withNode(org.latentstudio.graph.Node.of("alien", "NoSuchType"));
    RunResult r = run(g);
    assertEquals(RunResult.Status.INVALID, r.status());
    assertEquals(List.of("alien"), r.problems().stream().map(p -> p.node().value()).toList());
    Graph muted = g.withNode(g.require(NodeId.of("alien")).withMode(NodeMode.MUTED));
    assertTrue(run(muted).succeeded());
  }

  @Test
  void aGraphWithoutOutputNodesSaysSo() {
    RunResult r = run(new GraphBuilder().node("a", "Const").build());
    assertEquals(Problem.Kind.NO_OUTPUT_NODE, r.problems().get(0).kind());
  }

  @Test
  void eventsArriveInOrderOnTheBackgroundThread() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    ExecutionListener recorder = new ExecutionListener() {
      @Override
      public void runStarted(int planned, int toRun) {
        events.add("run " + planned + "/" + toRun);
        threads.add(Thread.currentThread().getName());
      }

      @Override
      public void nodeStarted(NodeId id, String type) {
        events.add("start " + id);
      }

      @Override
      public void nodeCached(NodeId id, String type) {
        events.add("cached " + id);
      }

      @Override
      public void nodeFinished(NodeId id, String type, Outputs outputs, long nanos) {
        events.add("done " + id);
      }

      @Override
      public void runFinished(RunResult result) {
        events.add("finished " + result.status());
      }
    };
    run(new GraphBuilder().node("a", "Const", "value", 5).node("show", "Sink").link("a.INT", "show.value").build());
    RunHandle h = executor.submit(new RunRequest(sumGraph(5), Set.of(), RunSettings.defaults(Path.of("o")), ""),
        recorder);
    assertEquals(RunResult.Status.SUCCEEDED, h.result().get(10, TimeUnit.SECONDS).status());
    assertEquals(List.of("run 4/3", "cached a", "start b", "done b", "start sum", "done sum", "start show",
        "done show", "finished SUCCEEDED"), events);
    assertEquals("latentstudio-executor", threads.get(0));
  }

  @Test
  void cancellationStopsALongLoopPromptly() throws Exception {
    Graph g = new GraphBuilder().node("spin", "Spin").node("show", "Sink").link("spin.INT", "show.value").build();
    RunHandle h = executor.submit(new RunRequest(g, Set.of(), RunSettings.defaults(Path.of("o")), ""),
        ExecutionListener.NONE);
    assertTrue(nodes.spinStarted.await(10, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    h.cancel();
    RunResult r = h.result().get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(RunResult.Status.CANCELLED, r.status());
    assertTrue(ms < 1000, "cancelled after " + ms + " ms");
    assertEquals(0, nodes.count("Sink"));
  }

  @Test
  void bypassedNodesPassTheirInputThroughAndMutedSourcesAreReported() {
    Graph g = new GraphBuilder()
        .node("a", "Const", "value", 4).node("b", "Const", "value", 1).node("sum", "Add").node("show", "Sink")
        .link("a.INT", "sum.a").link("b.INT", "sum.b").link("sum.INT", "show.value")
        .mode("sum", NodeMode.BYPASSED)
        .build();
    RunResult bypassed = run(g);
    assertTrue(bypassed.succeeded(), bypassed::failureMessage);
    assertEquals("4", bypassed.outputs().get(NodeId.of("show")).display().text().get(0),
        "the first INT input (a) passes through");
    assertEquals(0, nodes.count("Add"));

    RunResult muted = run(new GraphBuilder()
        .node("a", "Const").node("show", "Sink").link("a.INT", "show.value").mode("a", NodeMode.MUTED).build());
    assertEquals(RunResult.Status.INVALID, muted.status());
    assertTrue(muted.failureMessage().contains("comes from node 'a', which is muted"), muted.failureMessage());
  }

  @Test
  void runningOneNodeComputesOnlyItsBranch() {
    Graph g = sumGraph(2);
    RunResult r = executor.run(new RunRequest(g, Set.of(NodeId.of("unused")), RunSettings.defaults(Path.of("o")),
        ""), ExecutionListener.NONE, new CancellationToken());
    assertTrue(r.succeeded());
    assertEquals(1, nodes.total());
    assertNull(r.outputs().get(NodeId.of("show")));
  }

  @Test
  void cacheKeysDependOnFingerprints() throws Exception {
    java.util.concurrent.atomic.AtomicInteger fileVersion = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
    NodeRegistry reg = new NodeRegistry().register(fileNode(fileVersion, ctx -> seen.set(ctx.fingerprint())));
    Graph g = new GraphBuilder().node("f", "Fp").build();
    Planner planner = new Planner(reg);
    CacheKey before = CacheKey.forPlan(planner.plan(g, Set.of(NodeId.of("f"))), reg, new Services()).get(NodeId.of("f"));
    assertEquals(before, CacheKey.forPlan(planner.plan(g, Set.of(NodeId.of("f"))), reg, new Services()).get(NodeId.of("f")));
    fileVersion.incrementAndGet(); // the file changed on disk
    assertNotEquals(before, CacheKey.forPlan(planner.plan(g, Set.of(NodeId.of("f"))), reg, new Services()).get(NodeId.of("f")));
    // the node sees the fingerprint its key was made from, so it need not stamp its files again
    try (Executor ex = new Executor(reg, new OutputCache(1 << 20), new Services())) {
      assertTrue(ex.run(new RunRequest(g, Set.of(NodeId.of("f")), RunSettings.defaults(Path.of("out")), ""),
          ExecutionListener.NONE, new CancellationToken()).succeeded());
    }
    assertEquals("file x version 1", seen.get());
  }

  /**
   * A run of the very graph of the last run reuses its plan (the benchmark and a queue of one workflow do that),
   * but not across other goals, and its cache keys still follow the files' fingerprints.
   */
  @Test
  void aRerunOfTheSameGraphFollowsItsGoalsAndChangedFiles() {
    java.util.concurrent.atomic.AtomicInteger fileVersion = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    NodeRegistry reg = nodes.registry().register(fileNode(fileVersion, ctx -> runs.incrementAndGet()));
    Graph g = new GraphBuilder().node("f", "Fp").node("a", "Const", "value", 2).node("show", "Sink")
        .link("a.INT", "show.value").build();
    try (Executor ex = new Executor(reg, new OutputCache(1 << 20), new Services())) {
      java.util.function.Function<String, RunResult> runGoal = goal -> ex.run(new RunRequest(g,
          Set.of(NodeId.of(goal)), RunSettings.defaults(Path.of("out")), ""), ExecutionListener.NONE,
          new CancellationToken());
      assertTrue(runGoal.apply("f").succeeded());
      assertTrue(runGoal.apply("f").succeeded());
      assertEquals(1, runs.get(), "the same graph, goal and file: served from the cache");
      fileVersion.incrementAndGet(); // the file changed on disk
      assertTrue(runGoal.apply("f").succeeded());
      assertEquals(2, runs.get(), "a changed file is not served from the cache");
      RunResult other = runGoal.apply("show");
      assertTrue(other.succeeded(), other::failureMessage);
      assertEquals("2", other.outputs().get(NodeId.of("show")).display().text().get(0),
          "the same graph with another goal runs that goal's nodes");
      assertEquals(2, runs.get());
    }
  }

  /** Running out of memory says which memory, its limit, and the option that raises it. */
  @Test
  void runningOutOfMemorySaysWhichAndHowToAllowMore() {
    Graph g = new GraphBuilder().node("f", "Fp").build();
    java.util.function.Function<OutOfMemoryError, String> failure = error -> {
      NodeRegistry reg = new NodeRegistry().register(fileNode(new java.util.concurrent.atomic.AtomicInteger(),
          ctx -> {
            throw error;
          }));
      try (Executor ex = new Executor(reg, new OutputCache(1 << 20), new Services())) {
        RunResult r = ex.run(new RunRequest(g, Set.of(NodeId.of("f")), RunSettings.defaults(Path.of("out")), ""),
            ExecutionListener.NONE, new CancellationToken());
        assertEquals(RunResult.Status.FAILED, r.status());
        return r.error().getMessage();
      }
    };
    String direct = failure.apply(new OutOfMemoryError(
        "Cannot reserve 3932160 bytes of direct buffer memory (allocated: 2146959364, limit: 2147483648)"));
    assertTrue(direct.contains("memory for model weights, at most 2.0 GB here"), direct);
    assertTrue(direct.contains("JAVA_TOOL_OPTIONS=-XX:MaxDirectMemorySize=16g"), direct);
    String heap = failure.apply(new OutOfMemoryError("Java heap space"));
    assertTrue(heap.contains(String.format(java.util.Locale.ROOT, "at most %.1f GB",
        Runtime.getRuntime().maxMemory() / (double) (1L << 30))), heap);
    assertTrue(heap.contains("JAVA_TOOL_OPTIONS=-Xmx16g"), heap);
  }

  /** A node type "Fp" reading a file, whose fingerprint is the file's {@code version}: it changes on disk. */
  private static NodeType fileNode(java.util.concurrent.atomic.AtomicInteger version,
      java.util.function.Consumer<ExecContext> onRun) {
    return new NodeType() {
      @Override
      public org.latentstudio.graph.NodeSchema schema() {
        return org.latentstudio.graph.NodeSchema.of("Fp", "Fp", "t",
            List.of(org.latentstudio.graph.InPort.text("file", "x")),
            List.of(org.latentstudio.graph.OutPort.of("O", org.latentstudio.graph.PortType.INT, Long.class)));
      }

      @Override
      public Outputs evaluate(Inputs in, ExecContext ctx) {
        onRun.accept(ctx);
        return Outputs.none();
      }

      @Override
      public String fingerprint(java.util.Map<String, Object> literals, Services services) {
        return "file " + literals.get("file") + " version " + version.get();
      }
    };
  }
}
