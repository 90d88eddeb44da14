package org.latentstudio.bench;

import static org.latentstudio.bench.Stats.median;
import static org.latentstudio.bench.Stats.p95;
import static org.latentstudio.bench.Stats.min;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.ui.DesktopActions;
import org.latentstudio.ui.Dialogs;
import org.latentstudio.ui.StudioConfig;
import org.latentstudio.ui.StudioWindow;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.models.ModelCatalog;

/**
 * How the studio copes with a 500-node graph, with software rendering: the time from reading the workflow file
 * to the first frame on screen, and the frame time while panning (at 100 % and zoomed out so every node is in
 * view). Not a test: run it with
 * <pre>
 * mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.latentstudio.bench.CanvasBenchmark
 * </pre>
 * It runs headless (Monocle) unless {@code -Dbench.window=true}, which opens a real window (for xvfb or a
 * desktop). Frames are rendered as fast as the machine can ({@code javafx.animation.fullspeed}), so the
 * figures are throughput, not the 60 Hz cap; the CPU time per frame of the FX and render threads is printed
 * too, since on a busy machine wall-clock figures depend on what else runs.
 */
public final class CanvasBenchmark {
  private static final int NODES = 500;
  private static final int LOAD_ROUNDS = 7;
  private static final int PAN_FRAMES = 240;

  public static void main(String[] args) throws Exception {
    boolean window = Boolean.getBoolean("bench.window");
    if (!window) {
      System.setProperty("glass.platform", "Monocle");
      System.setProperty("monocle.platform", "Headless");
      System.setProperty("headless.geometry", "1440x900-32");
    }
    System.setProperty("prism.order", "sw");
    System.setProperty("prism.text", System.getProperty("prism.text", "t2k"));
    System.setProperty("javafx.animation.fullspeed", "true");
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    Platform.setImplicitExit(false);

    NodeRegistry registry = BuiltinNodes.registry();
    Graph graph = bigGraph(NODES, new Random(11));
    Path dir = Files.createTempDirectory("canvas-bench");
    Path file = dir.resolve("big.json");
    WorkflowCodec codec = new WorkflowCodec();
    codec.save(Workflow.of(graph), file);

    try (Executor executor = new Executor(registry, new OutputCache(1L << 26), new Services())) {
      StudioConfig cfg = new StudioConfig(registry, executor, dir.resolve("user"), dir.resolve("out"), null,
          ModelCatalog.NONE, w -> new SilentDialogs(), new NoDesktop(), 1, 0, false);
      StudioWindow studio = onFx(() -> {
        Stage stage = new Stage();
        StudioWindow sw = new StudioWindow(stage, cfg);
        stage.setWidth(1440);
        stage.setHeight(900);
        sw.show();
        return sw;
      });
      frames(10);

      double[] load = new double[LOAD_ROUNDS];
      for (int i = 0; i < LOAD_ROUNDS; i++) {
        onFx(() -> {
          studio.newDocument();
          return null;
        });
        frames(3);
        System.gc();
        long t0 = System.nanoTime();
        CompletableFuture<Long> shown = new CompletableFuture<>();
        Platform.runLater(() -> {
          studio.openPath(file);
          // the first pulse after this lays out, styles and renders the new nodes; the second starts only once
          // that frame has been rendered
          countFrames(2, () -> shown.complete(System.nanoTime()));
        });
        load[i] = (shown.get(60, TimeUnit.SECONDS) - t0) / 1e6;
        int n = onFx(() -> studio.canvas().views().size());
        if (n != NODES) {
          throw new IllegalStateException("expected " + NODES + " node views, got " + n);
        }
      }
      double[] warmLoads = Arrays.copyOfRange(load, 2, LOAD_ROUNDS);

      GraphCanvas canvas = studio.canvas();
      double cw = onFx(canvas::getWidth);
      double ch = onFx(canvas::getHeight);
      // at 100 %, sweeping across the graph
      onFx(() -> {
        canvas.setView(1, 0, 0);
        return null;
      });
      frames(5);
      Pan atFull = pan(canvas, 1, f -> -f * 9, f -> -f * 4);
      // zoomed out so the whole graph is in view, drifting
      onFx(() -> {
        canvas.fitToView();
        return null;
      });
      frames(5);
      double fitZoom = onFx(canvas::zoom);
      javafx.geometry.Point2D p0 = onFx(canvas::panOffset);
      Pan atFit = pan(canvas, fitZoom, f -> p0.getX() + 40 * Math.sin(f / 20.0), f -> p0.getY() + 30 * Math.cos(f / 20.0));

      System.out.printf("graph: %d nodes, %d links, %d groups; canvas %.0fx%.0f px; %s, software rendering%n",
          graph.nodes().size(), graph.links().size(), graph.groups().size(), cw, ch,
          window ? "real window" : "headless (Monocle)");
      System.out.printf("load workflow -> first frame: median %.0f ms, best %.0f ms, first (cold) %.0f ms%n",
          median(warmLoads), min(warmLoads), load[0]);
      System.out.printf("machine: %d cores, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      report("pan at 100%", atFull);
      report(String.format("pan at %.0f%% (all 500 in view)", fitZoom * 100), atFit);
      onFx(() -> {
        studio.newDocument();
        studio.stage().close();
        return null;
      });
    }
    Platform.exit();
    System.exit(0);
  }

  /** Frames per second, frame intervals, and CPU time per frame of the FX thread and of the render thread. */
  record Pan(double fps, double median, double p95, double fxMs, double renderMs) {}

  /** Pans for a fixed number of frames, one view change per frame, and times the frames. */
  private static Pan pan(GraphCanvas canvas, double zoom, DoubleUnaryOperator x, DoubleUnaryOperator y)
      throws Exception {
    List<Long> stamps = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long[] fx = new long[2];
    long[] render = new long[2];
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Platform.runLater(() -> new AnimationTimer() {
      int frame;

      @Override
      public void handle(long now) {
        if (frame == 0) {
          fx[0] = mx.getCurrentThreadCpuTime();
          render[0] = renderCpu();
        }
        stamps.add(System.nanoTime());
        canvas.setView(zoom, x.applyAsDouble(frame), y.applyAsDouble(frame));
        if (++frame > PAN_FRAMES) {
          stop();
          fx[1] = mx.getCurrentThreadCpuTime();
          render[1] = renderCpu();
          done.complete(null);
        }
      }
    }.start());
    done.get(120, TimeUnit.SECONDS);
    double[] dt = new double[stamps.size() - 1];
    for (int i = 1; i < stamps.size(); i++) {
      dt[i - 1] = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
    }
    double total = (stamps.get(stamps.size() - 1) - stamps.get(0)) / 1e9;
    return new Pan(dt.length / total, median(dt), p95(dt), (fx[1] - fx[0]) / 1e6 / dt.length,
        (render[1] - render[0]) / 1e6 / dt.length);
  }

  private static void report(String what, Pan p) {
    System.out.printf("%-28s %5.1f fps; frame interval median %.1f ms, p95 %.1f ms; CPU per frame: FX thread %.1f ms, "
        + "render thread %.1f ms%n", what + ":", p.fps, p.median, p.p95, p.fxMs, p.renderMs);
  }

  /** CPU time used so far by the render thread. */
  private static long renderCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long t = 0;
    for (Thread th : Thread.getAllStackTraces().keySet()) {
      if (th.getName().startsWith("QuantumRenderer")) {
        t += mx.getThreadCpuTime(th.threadId());
      }
    }
    return t;
  }

  private static void countFrames(int n, Runnable then) {
    new AnimationTimer() {
      int seen;

      @Override
      public void handle(long now) {
        if (++seen >= n) {
          stop();
          then.run();
        }
      }
    }.start();
  }

  private static void frames(int n) throws Exception {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Platform.runLater(() -> countFrames(n, () -> f.complete(null)));
    f.get(60, TimeUnit.SECONDS);
  }

  private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        f.complete(c.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(120, TimeUnit.SECONDS);
  }

  /**
   * A graph like a big real one: 20 rows of 25 nodes. Each row is a chain of integer, float or text nodes with
   * reroutes, notes and a shown value at the end; maths nodes also take a value from the row above. Some nodes
   * are bypassed, and the rows sit in four groups. About 1.4 links per node.
   */
  static Graph bigGraph(int n, Random random) {
    int cols = 25;
    List<Node> nodes = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int col = i % cols;
      int row = i / cols;
      int kind = row % 3; // 0: INT, 1: FLOAT, 2: STRING
      String source = kind == 0 ? "PrimitiveInt" : kind == 1 ? "PrimitiveFloat" : "PrimitiveString";
      String math = kind == 0 ? "IntMath" : kind == 1 ? "FloatMath" : "StringConcat";
      String type;
      if (col == 0) {
        type = source;
      } else if (col == cols - 1) {
        type = "ShowValue";
      } else if (col % 8 == 4) {
        type = "Note";
      } else if (col % 6 == 3) {
        type = "Reroute";
      } else {
        type = math;
      }
      Map<String, Object> w = switch (type) {
        case "IntMath" -> Map.of("a", (long) i, "b", 2L, "operation", "add");
        case "FloatMath" -> Map.of("a", i * 0.5, "b", 1.5, "operation", "multiply");
        case "StringConcat" -> Map.of("a", "a photo of node " + i, "b", ", detailed", "separator", " ");
        case "PrimitiveInt" -> Map.of("value", (long) i);
        case "PrimitiveFloat" -> Map.of("value", i / 10.0);
        case "PrimitiveString" -> Map.of("value", "prompt " + i);
        case "Note" -> Map.of("text", "Note " + i + ": notes explain a part of the graph.");
        default -> Map.of();
      };
      double width = type.equals("Reroute") ? 48 : 240;
      nodes.add(new Node(NodeId.of("n" + i), type, null, w, new Vec2(col * 300, row * 300), new Vec2(width, 0),
          i % 41 == 0 ? NodeMode.BYPASSED : NodeMode.NORMAL));
      if (col == 0 || type.equals("Note")) {
        continue;
      }
      // fed by the nearest node to the left that has an output (notes have none)
      int from = nodes.get(i - 1).type().equals("Note") ? i - 2 : i - 1;
      String out = output(nodes.get(from).type());
      String in = switch (type) {
        case "IntMath", "FloatMath", "StringConcat" -> "a";
        case "Reroute" -> "input";
        default -> "value";
      };
      links.add(new Link(new PortRef(NodeId.of("n" + from), out), new PortRef(NodeId.of("n" + i), in)));
      int above = i - 3 * cols;
      if (above >= 0 && type.equals(math) && nodes.get(above).type().equals(math) && random.nextBoolean()) {
        links.add(new Link(new PortRef(NodeId.of("n" + above), output(math)), new PortRef(NodeId.of("n" + i), "b")));
      }
    }
    Graph g = Graph.empty().withNodes(nodes).withLinks(links);
    List<Group> groups = new ArrayList<>();
    for (int r = 0; r < 20; r += 5) {
      groups.add(new Group("Stage " + (r / 5 + 1), r % 10 == 0 ? "#3f5f8a" : "#3f7a4f",
          new Rect(-30, r * 300 - 50, cols * 300 + 10, 5 * 300 - 20)));
    }
    return g.withGroups(groups);
  }

  private static String output(String type) {
    return switch (type) {
      case "IntMath", "PrimitiveInt" -> "INT";
      case "FloatMath", "PrimitiveFloat" -> "FLOAT";
      case "StringConcat", "PrimitiveString" -> "STRING";
      case "Reroute" -> "output";
      default -> throw new IllegalArgumentException(type + " has no output");
    };
  }

  private static final class SilentDialogs implements Dialogs {
    @Override
    public SaveChoice confirmDiscard(String documentName) {
      return SaveChoice.DISCARD;
    }

    @Override
    public boolean offerRecovery(String description) {
      return false;
    }

    @Override
    public Optional<Path> chooseOpen(Path initialDir) {
      return Optional.empty();
    }

    @Override
    public Optional<Path> chooseSave(Path initialDir, String suggestedName) {
      return Optional.empty();
    }

    @Override
    public Optional<Path> chooseFile(String kind, Path initialDir) {
      return Optional.empty();
    }

    @Override
    public java.util.Optional<org.latentstudio.app.Settings> editSettings(org.latentstudio.app.Settings current,
        Path defaultOutput) {
      return java.util.Optional.empty();
    }

    @Override
    public void error(String title, String message) {
      System.err.println(title + ": " + message);
    }
  }

  private static final class NoDesktop implements DesktopActions {
    @Override
    public void openFolder(Path folder) {}

    @Override
    public void openFile(Path file) {}
  }
}
