package org.latentstudio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.runtime.OrtRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code latentstudio bench WORKFLOW.json [--runs N] [--warmup W] [--set ...]}: runs the whole workflow N times
 * after W warm-up runs and reports where the time goes. The node cache is cleared before each run, so every run does
 * all the work (loaded models stay loaded, as they would in the studio). The last line is
 * {@code overhead X% (total T ms, onnx O ms)}: the share of the time spent outside ONNX Runtime session runs.
 */
@Command(name = "bench", description = "Time a workflow: N full runs after a warm-up, with the time outside "
    + "ONNX Runtime (the overhead) on the last line.")
final class BenchCommand implements Callable<Integer> {
  private final AppContext app;

  @Mixin
  WorkflowOptions workflow;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs after the warm-up (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first, to load the models and let "
      + "the JIT compile the hot paths (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--vary", paramLabel = "NODE_ID.INPUT=V1,V2,...", description = "Give the input the next of "
      + "these values at each run, warm-ups included, and print every run with the models it built: the cost of "
      + "switching, e.g. --vary lora.strength_model=0,1 (a LoRA on and off).")
  String vary;

  @Option(names = {"--output", "-o"}, paramLabel = "DIR", description = "Where save nodes write (default: a "
      + "temporary folder, removed afterwards).")
  Path output;

  @Spec
  CommandSpec spec;

  private final CancellationToken interrupt;

  BenchCommand(AppContext app, CancellationToken interrupt) {
    this.app = app;
    this.interrupt = interrupt;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String badOutput = FolderOption.problem("--output", output,
        "name a folder, or leave the option out for a temporary one");
    if (badOutput != null) {
      err.println("error: " + badOutput);
      return LatentStudioCommand.BAD_INPUT;
    }
    if (runs < 1 || warmup < 1) {
      err.println("error: --runs and --warmup must be at least 1");
      return LatentStudioCommand.BAD_INPUT;
    }
    Graph graph;
    try {
      graph = workflow.load(app).graph();
    } catch (WorkflowFormatException | Overrides.BadOverride e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    List<Graph> variants;
    try {
      variants = variants(graph);
    } catch (Overrides.BadOverride e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    Path dir = output != null ? output : Files.createTempDirectory("latentstudio-bench");
    try {
      Runs sequence = new Runs(variants, dir, out);
      RunResult warm = sequence.next(ExecutionListener.NONE, "warm-up");
      if (warm.status() == RunResult.Status.CANCELLED) {
        return LatentStudioCommand.CANCELLED;
      }
      if (!warm.succeeded()) {
        err.println("error: " + warm.failureMessage());
        return warm.status() == RunResult.Status.INVALID ? LatentStudioCommand.BAD_INPUT : LatentStudioCommand.FAILED;
      }
      for (int i = 1; i < warmup; i++) {
        if (sequence.next(ExecutionListener.NONE, "warm-up").status() == RunResult.Status.CANCELLED) {
          return LatentStudioCommand.CANCELLED;
        }
      }
      OrtRuntime runtime = app.runtime();
      NodeTimes times = new NodeTimes(runtime);
      out.println("first run: " + ms(warm.nanos()) + " ms, then " + (warmup - 1) + " more warm-up runs (on "
          + runtime.provider().where() + ")");
      long[] totals = new long[runs];
      long[] onnx = new long[runs];
      // CPU time shows the work apart from waiting for the cores, which other programs on a busy machine take
      long[] threadCpu = new long[runs];
      long[] processCpu = new long[runs];
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      var os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o
          ? o : null;
      runtime.stats().reset(); // the per-model times below cover the timed runs only
      for (int i = 0; i < runs; i++) {
        long before = runtime.stats().onnxNanos();
        long threadBefore = threads.getCurrentThreadCpuTime();
        long processBefore = os == null ? 0 : os.getProcessCpuTime();
        RunResult r = sequence.next(times, "run " + (i + 1));
        if (r.status() == RunResult.Status.CANCELLED) {
          return LatentStudioCommand.CANCELLED;
        }
        threadCpu[i] = threads.getCurrentThreadCpuTime() - threadBefore;
        processCpu[i] = os == null ? 0 : os.getProcessCpuTime() - processBefore;
        if (!r.succeeded()) {
          err.println("error: " + r.failureMessage());
          return LatentStudioCommand.FAILED;
        }
        totals[i] = r.nanos();
        onnx[i] = runtime.stats().onnxNanos() - before;
        if (vary == null) {
          out.printf(Locale.ROOT, "run %d: %s ms, onnx %s ms%n", i + 1, ms(totals[i]), ms(onnx[i]));
        }
      }
      times.print(out, runs, Arrays.stream(totals).sum());
      long total = Arrays.stream(totals).sum();
      long inOnnx = Arrays.stream(onnx).sum();
      out.printf(Locale.ROOT, "onnx by model, per run:%n");
      for (var e : runtime.stats().byModel().entrySet()) {
        long[] t = e.getValue();
        out.printf(Locale.ROOT, "  %-48s %8s ms in %d calls (%s ms per call)%n", e.getKey(), ms(t[0] / runs),
            t[1] / runs, ms(t[1] == 0 ? 0 : t[0] / t[1]));
      }
      out.printf(Locale.ROOT, "median run: %s ms%n", ms(median(totals)));
      out.printf(Locale.ROOT, "median CPU per run: %s ms on the running thread, %s ms in the whole process%n",
          ms(median(threadCpu)), ms(median(processCpu)));
      out.printf(Locale.ROOT, "overhead %.1f%% (total %s ms, onnx %s ms)%n", 100.0 * (total - inOnnx) / total,
          ms(total), ms(inOnnx));
      out.flush();
      return LatentStudioCommand.OK;
    } finally {
      if (output == null) {
        deleteTree(dir);
      }
    }
  }

  /** The graph once per value of {@code --vary}, or just the graph. */
  private List<Graph> variants(Graph graph) throws Overrides.BadOverride {
    if (vary == null) {
      return List.of(graph);
    }
    int eq = vary.indexOf('=');
    if (eq < 0) {
      throw new Overrides.BadOverride("--vary " + vary + ": write it as NODE_ID.INPUT=VALUE1,VALUE2,...");
    }
    List<Graph> out = new java.util.ArrayList<>();
    for (String value : vary.substring(eq + 1).split(",", -1)) {
      out.add(Overrides.apply(graph, app.registry(), List.of(vary.substring(0, eq) + "=" + value)));
    }
    return out;
  }

  /**
   * The runs in turn, each on the next variant with the node cache cleared, so each does all the work (loaded
   * models stay loaded). With {@code --vary} each run is printed with the sessions it had to build.
   */
  private final class Runs {
    private final List<Graph> variants;
    private final Path dir;
    private final PrintWriter out;
    private int count;

    Runs(List<Graph> variants, Path dir, PrintWriter out) {
      this.variants = variants;
      this.dir = dir;
      this.out = out;
    }

    RunResult next(ExecutionListener listener, String label) {
      Graph g = variants.get(count % variants.size());
      String value = vary == null ? "" : vary.substring(0, vary.indexOf('=') + 1)
          + vary.substring(vary.indexOf('=') + 1).split(",", -1)[count % variants.size()];
      count++;
      OrtRuntime runtime = app.runtime();
      int loads = runtime.modelLoads();
      long loadNanos = runtime.modelLoadNanos();
      long mergeNanos = runtime.weightOverrides().mergeNanos();
      long onnx = runtime.stats().onnxNanos();
      app.executor().cache().clear();
      RunResult r = app.executor().run(new RunRequest(g, Set.of(), new RunSettings(dir, 0), ""), listener,
          interrupt);
      if (vary != null && r.succeeded()) {
        int built = runtime.modelLoads() - loads;
        out.printf(Locale.ROOT, "%s (%s): %s ms, onnx %s ms, %s%n", label, value, ms(r.nanos()),
            ms(runtime.stats().onnxNanos() - onnx), built == 0 ? "no session built"
                : "built " + built + (built == 1 ? " session" : " sessions") + " in "
                + ms(runtime.modelLoadNanos() - loadNanos) + " ms (LoRA merges "
                + ms(runtime.weightOverrides().mergeNanos() - mergeNanos) + " ms)");
        out.flush();
      }
      return r;
    }
  }

  /** Time per node across the timed runs, and how much of it was inside ONNX Runtime. */
  private static final class NodeTimes implements ExecutionListener {
    private final OrtRuntime runtime;
    /** Per node: its label, then wall and ONNX Runtime nanoseconds (keyed by id: no label made per node and run). */
    private record Times(String label, long[] nanos) {}

    private final Map<NodeId, Times> times = new LinkedHashMap<>();
    private long onnxAtStart;

    NodeTimes(OrtRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void nodeStarted(NodeId id, String type) {
      onnxAtStart = runtime.stats().onnxNanos();
    }

    @Override
    public void nodeFinished(NodeId id, String type, Outputs outputs, long n) {
      long[] t = times.computeIfAbsent(id, k -> new Times(id + " (" + type + ")", new long[2])).nanos();
      t[0] += n;
      t[1] += runtime.stats().onnxNanos() - onnxAtStart;
    }

    void print(PrintWriter out, int runs, long total) {
      long inNodes = 0;
      for (Times node : times.values()) {
        long[] t = node.nanos();
        inNodes += t[0];
        out.printf(Locale.ROOT, "  %-36s %8s ms per run, onnx %8s ms%n", node.label(), ms(t[0] / runs),
            ms(t[1] / runs));
      }
      out.printf(Locale.ROOT, "  %-36s %8s ms per run%n", "executor (plan, cache keys)", ms((total - inNodes) / runs));
    }
  }

  private static long median(long[] xs) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
