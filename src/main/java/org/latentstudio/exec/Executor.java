package org.latentstudio.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.image.RgbImage;

/**
 * Runs graphs: plan, look up cached results, evaluate the rest in order, store the new results. Runs go one
 * at a time on a background thread ({@link #submit}); {@link #run} does the same on the calling thread.
 */
public final class Executor implements AutoCloseable {
  private final NodeRegistry registry;
  private final Planner planner;
  private final OutputCache cache;
  private final Services services;
  private final RunQueue queue = new RunQueue(this);
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> NativeThreads.daemon("latentstudio-executor", r));
  /** The last run's plan and keys ({@link Planned}), set by whichever thread ran last; a racing run plans again. */
  private volatile Planned lastPlanned;

  public Executor(NodeRegistry registry, OutputCache cache, Services services) {
    this.registry = registry;
    this.planner = new Planner(registry);
    this.cache = cache;
    this.services = services;
  }

  public NodeRegistry registry() {
    return registry;
  }

  public OutputCache cache() {
    return cache;
  }

  public Services services() {
    return services;
  }

  /** The queue the studio and the server share in front of this executor. */
  public RunQueue queue() {
    return queue;
  }

  /** Queues the run behind any run in progress and returns at once. */
  public RunHandle submit(RunRequest request, ExecutionListener listener) {
    return submit(request, listener, new CancellationToken());
  }

  /** Queues the run with a token the caller holds, so it can be cancelled before this returns. */
  public RunHandle submit(RunRequest request, ExecutionListener listener, CancellationToken token) {
    CompletableFuture<RunResult> future = CompletableFuture.supplyAsync(() -> run(request, listener, token), worker);
    return new RunHandle(future, token);
  }

  public RunResult run(RunRequest request, ExecutionListener listener, CancellationToken token) {
    long start = System.nanoTime();
    if (token.isCancelled()) {
      // cancelled while it waited in the queue: it never starts, even when everything would come from the cache
      return finish(listener, new RunResult(RunResult.Status.CANCELLED, Map.of(), null, List.of(), 0, 0, 0));
    }
    Planned planned;
    try {
      planned = planned(request);
    } catch (GraphValidationException e) {
      RunResult invalid = new RunResult(RunResult.Status.INVALID, Map.of(), null, e.problems(), 0, 0,
          System.nanoTime() - start);
      listener.runFinished(invalid);
      return invalid;
    }
    Plan plan = planned.plan();
    Map<NodeId, String> fingerprints = planned.fingerprints();
    Map<NodeId, CacheKey> keys = planned.keys();
    Map<NodeId, Outputs> available = new HashMap<>();
    Set<NodeId> toRun = whatMustRun(plan, keys, available);
    listener.runStarted(plan.order().size(), toRun.size());

    Map<NodeId, Outputs> produced = new LinkedHashMap<>();
    int executed = 0;
    int cached = 0;
    try {
      for (PlannedNode node : plan.order()) {
        if (!toRun.contains(node.id())) {
          cached++;
          listener.nodeCached(node.id(), node.typeId());
          Outputs hit = available.get(node.id());
          if (hit != null) {
            produced.put(node.id(), hit);
          }
          continue;
        }
        token.throwIfCancelled();
        Outputs out = evaluate(node, available, request, fingerprints.getOrDefault(node.id(), ""), listener, token);
        cache.put(keys.get(node.id()), out);
        available.put(node.id(), out);
        produced.put(node.id(), out);
        executed++;
      }
    } catch (CancelledException e) {
      return finish(listener, new RunResult(RunResult.Status.CANCELLED, produced, null, List.of(), executed, cached,
          System.nanoTime() - start));
    } catch (NodeExecutionException e) {
      listener.nodeFailed(e);
      return finish(listener, new RunResult(RunResult.Status.FAILED, produced, e, List.of(), executed, cached,
          System.nanoTime() - start));
    }
    return finish(listener, new RunResult(RunResult.Status.SUCCEEDED, produced, null, List.of(), executed, cached,
        System.nanoTime() - start));
  }

  /**
   * A graph's plan and its nodes' cache keys. The plan depends only on the graph and the goals, so a run of the
   * same graph as the last run (a queue of one workflow, the benchmark, a re-run) skips validation and planning;
   * the keys are kept while every node's fingerprint (its files' sizes and dates) is what it was.
   */
  private record Planned(Graph graph, Set<NodeId> goals, Plan plan, Map<NodeId, String> fingerprints,
      Map<NodeId, CacheKey> keys) {
    boolean plans(Graph g, Set<NodeId> wanted) {
      return (g == graph || g.equals(graph)) && wanted.equals(goals);
    }
  }

  private Planned planned(RunRequest request) throws GraphValidationException {
    Planned last = lastPlanned;
    Plan plan = last != null && last.plans(request.graph(), request.goals())
        ? last.plan() : planner.plan(request.graph(), request.goals());
    Map<NodeId, String> fingerprints = CacheKey.fingerprints(plan, services);
    Map<NodeId, CacheKey> keys = last != null && last.plan() == plan && last.fingerprints().equals(fingerprints)
        ? last.keys() : CacheKey.forPlan(plan, registry, fingerprints);
    Planned now = new Planned(request.graph(), request.goals(), plan, fingerprints, keys);
    lastPlanned = now;
    return now;
  }

  private static RunResult finish(ExecutionListener listener, RunResult result) {
    listener.runFinished(result);
    return result;
  }

  /**
   * Walks the plan backwards from the goals. A node whose result is cached is not run, and nor are its
   * sources unless something else needs them; so with everything cached only the goals are looked up.
   */
  private Set<NodeId> whatMustRun(Plan plan, Map<NodeId, CacheKey> keys, Map<NodeId, Outputs> available) {
    Set<NodeId> needed = new HashSet<>(plan.goals());
    Set<NodeId> toRun = new HashSet<>();
    List<PlannedNode> order = plan.order();
    for (int i = order.size() - 1; i >= 0; i--) {
      PlannedNode node = order.get(i);
      if (!needed.contains(node.id())) {
        continue;
      }
      Outputs hit = cache.get(keys.get(node.id()));
      if (hit != null) {
        available.put(node.id(), hit);
        continue;
      }
      toRun.add(node.id());
      for (InputSource src : node.inputs().values()) {
        if (src instanceof InputSource.Linked l) {
          needed.add(l.output().node());
        }
      }
    }
    return toRun;
  }

  private Outputs evaluate(PlannedNode node, Map<NodeId, Outputs> available, RunRequest request, String fingerprint,
      ExecutionListener listener, CancellationToken token) throws NodeExecutionException {
    Map<String, Object> values = new HashMap<>();
    for (var e : node.inputs().entrySet()) {
      if (e.getValue() instanceof InputSource.Literal lit) {
        values.put(e.getKey(), lit.value());
      } else if (e.getValue() instanceof InputSource.Linked link) {
        values.put(e.getKey(), available.get(link.output().node()).get(link.output().port()));
      }
    }
    checkLinkedValues(node, registry.schema(node.typeId()).orElseThrow(), values);
    listener.nodeStarted(node.id(), node.typeId());
    long t0 = System.nanoTime();
    Context ctx = new Context(node.id(), request, fingerprint, listener, token);
    try {
      Outputs out = node.type().evaluate(new Inputs(values), ctx);
      listener.nodeFinished(node.id(), node.typeId(), out, System.nanoTime() - t0);
      return out;
    } catch (CancelledException e) {
      throw e;
    } catch (NodeException e) {
      throw new NodeExecutionException(node.id(), node.typeId(), e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      throw new NodeExecutionException(node.id(), node.typeId(), outOfMemory(e), e);
    } catch (Exception | LinkageError | AssertionError e) {
      throw new NodeExecutionException(node.id(), node.typeId(), "unexpected error: " + describe(e), e);
    }
  }

  /**
   * A value that arrives by link gets the checks a typed one gets before the run (range, step, choices), so a
   * width of 7 or a batch of 0 is refused with the receiving node's name instead of failing deep in a model.
   */
  private static void checkLinkedValues(PlannedNode node, NodeSchema schema, Map<String, Object> values)
      throws NodeExecutionException {
    for (InputSpec spec : schema.inputs()) {
      if (!spec.hasWidget() || !(node.inputs().get(spec.name()) instanceof InputSource.Linked link)) {
        continue;
      }
      String from = "input '" + spec.name() + "' (from " + link.output() + ")";
      String[] bad;
      try {
        Object value = WidgetValues.coerce(spec, values.get(spec.name()));
        values.put(spec.name(), value);
        bad = WidgetValues.check(spec, value);
      } catch (IllegalArgumentException e) {
        bad = new String[] {e.getMessage(), "link a " + spec.type() + " value to it"};
      }
      if (bad != null) {
        throw new NodeExecutionException(node.id(), node.typeId(), from + ": " + bad[0] + ". Fix: " + bad[1]
            + " where the value comes from", null);
      }
    }
  }

  /** The JDK's "Cannot reserve N bytes of direct buffer memory (allocated: A, limit: L)". */
  private static final Pattern DIRECT_LIMIT = Pattern.compile("limit: (\\d+)");

  /**
   * What ran out, its limit, and how to raise it: Java's heap, or its direct memory (model weights merged with a
   * LoRA), which is capped at the heap's maximum unless set; the installed app takes JVM options from
   * JAVA_TOOL_OPTIONS, the source launcher from LATENTSTUDIO_JAVA_OPTS.
   */
  static String outOfMemory(OutOfMemoryError e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    boolean direct = message.contains("direct buffer memory");
    Matcher limit = DIRECT_LIMIT.matcher(message);
    long bytes = direct && limit.find() ? Long.parseLong(limit.group(1)) : Runtime.getRuntime().maxMemory();
    String what = direct ? "Java's memory for model weights" : "Java's memory";
    String option = direct ? "-XX:MaxDirectMemorySize=16g" : "-Xmx16g";
    return String.format(Locale.ROOT, "ran out of memory (%s, at most %.1f GB here); try a smaller image "
        + "or batch, or allow more: start with JAVA_TOOL_OPTIONS=%s (the installed app) "
        + "or LATENTSTUDIO_JAVA_OPTS=%s (the source launcher), within the machine's memory",
        what, bytes / (double) (1L << 30), option, option);
  }

  private static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
      parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return String.join(": ", parts);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }

  /** The per-node view of a run that nodes see. */
  private final class Context implements ExecContext {
    private final NodeId nodeId;
    private final RunRequest request;
    private final String fingerprint;
    private final ExecutionListener listener;
    private final CancellationToken token;

    Context(NodeId nodeId, RunRequest request, String fingerprint, ExecutionListener listener,
        CancellationToken token) {
      this.nodeId = nodeId;
      this.request = request;
      this.fingerprint = fingerprint;
      this.listener = listener;
      this.token = token;
    }

    @Override
    public NodeId nodeId() {
      return nodeId;
    }

    @Override
    public String fingerprint() {
      return fingerprint;
    }

    @Override
    public void checkCancelled() {
      token.throwIfCancelled();
    }

    @Override
    public void progress(int done, int total) {
      token.throwIfCancelled();
      listener.progress(nodeId, done, total);
    }

    @Override
    public void preview(RgbImage image) {
      listener.preview(nodeId, image);
    }

    @Override
    public void warn(String message) {
      listener.warning(nodeId, message);
    }

    @Override
    public <T> T service(Class<T> type) {
      return services.require(type);
    }

    @Override
    public RunSettings settings() {
      return request.settings();
    }

    @Override
    public String workflowJson() {
      return request.workflowJson();
    }

    @Override
    public Map<String, String> pictureText() {
      return request.pictureText();
    }
  }
}
