package org.latentstudio.ui.run;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NodeExecutionException;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.QueuedRun;
import org.latentstudio.exec.RunQueue;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Problem;
import org.latentstudio.image.RgbImage;
import org.latentstudio.ui.FxImages;
import org.latentstudio.ui.canvas.NodeRunState;

/**
 * The run queue as the window shows it. Runs go to the {@link Executor} one after another; its events arrive
 * on the executor's thread and are handed to the FX thread in order, except that progress steps and preview
 * pictures are coalesced to the latest, so a fast sampler cannot flood the UI. FX thread only, apart from the
 * listener it hands to the executor.
 */
public final class RunController {
  /** Where the canvas shows what a run does to each node. */
  public interface Marks {
    void clear();

    void mark(NodeId node, NodeRunState state);

    void result(NodeId node, String text, Image image);

    Marks NONE = new Marks() {
      @Override
      public void clear() {}

      @Override
      public void mark(NodeId node, NodeRunState state) {}

      @Override
      public void result(NodeId node, String text, Image image) {}
    };
  }

  /** A finished picture for the gallery. */
  public record GalleryItem(Image image, RgbImage source, Path file, String caption) {}

  /** An error or validation problem for the side panel, pointing at its node. */
  public record ProblemItem(NodeId node, String heading, String message) {}

  private static final int RATE_WINDOW = 8;

  private final Executor executor;
  private volatile RunSettings settings;
  private final Marks canvasMarks;
  /** The canvas's marks while a studio run goes; nothing for a ComfyUI client's run, whose graph is not shown. */
  private Marks marks;
  /** Whether the run in progress came from a ComfyUI client rather than this window. */
  private boolean foreignRun;
  private final ObservableList<RunEntry> entries = FXCollections.observableArrayList();
  private final ObservableList<GalleryItem> gallery = FXCollections.observableArrayList();
  private final ObservableList<ProblemItem> problems = FXCollections.observableArrayList();
  private final ObjectProperty<RunEntry> current = new SimpleObjectProperty<>(this, "current");
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
  private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
  private final ObjectProperty<Image> preview = new SimpleObjectProperty<>(this, "preview");
  private final StringProperty previewCaption = new SimpleStringProperty(this, "previewCaption", "");
  private Consumer<RunEntry> onFinished = e -> {};
  private int counter;

  // state of the run in progress (FX thread)
  private Graph runGraph = Graph.empty();
  private int toRun;
  private int finishedNodes;
  private NodeId runningNode;
  private String runningName = "";
  private final Deque<long[]> samples = new ArrayDeque<>();
  private double lastRate;

  public RunController(Executor executor, RunSettings settings, Marks marks) {
    this.executor = executor;
    this.settings = settings;
    this.canvasMarks = marks;
    this.marks = marks;
    executor.queue().addObserver(new ClientRuns());
  }

  /** The output folder and preview interval for the runs queued from now on. */
  public RunSettings runSettings() {
    return settings;
  }

  public void setRunSettings(RunSettings s) {
    this.settings = java.util.Objects.requireNonNull(s);
  }

  public ObservableList<RunEntry> entries() {
    return entries;
  }

  public ObservableList<GalleryItem> gallery() {
    return gallery;
  }

  public ObservableList<ProblemItem> problems() {
    return problems;
  }

  public ObjectProperty<RunEntry> currentProperty() {
    return current;
  }

  /** Whether a run is pending or running. */
  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  public DoubleProperty progressProperty() {
    return progress;
  }

  public StringProperty progressTextProperty() {
    return progressText;
  }

  public ObjectProperty<Image> previewProperty() {
    return preview;
  }

  public StringProperty previewCaptionProperty() {
    return previewCaption;
  }

  public void setOnFinished(Consumer<RunEntry> handler) {
    onFinished = handler;
  }

  /** The steps per second of the sampler in progress, 0 when none. */
  public double rate() {
    return lastRate;
  }

  /**
   * Queues a run of this graph snapshot.
   *
   * @param workflowJson the workflow as a file holds it, which save nodes embed in their pictures
   * @param pictureText  ComfyUI's chunks for the same pictures
   */
  public RunEntry submit(Graph graph, String name, String workflowJson, Map<String, String> pictureText) {
    RunEntry entry = new RunEntry(++counter, name);
    entries.add(entry);
    busy.set(true);
    Listener listener = new Listener(entry, graph);
    QueuedRun run = executor.queue().submit(new RunRequest(graph, Set.of(), settings, workflowJson, pictureText),
        RunQueue.STUDIO, null, null, listener);
    entry.setHandle(run.handle());
    return entry;
  }

  /** Lists the prompts ComfyUI clients queue on the server, with their progress and pictures. */
  private final class ClientRuns implements RunQueue.Observer {
    @Override
    public void queued(QueuedRun run) {
      if (run.origin().equals(RunQueue.STUDIO)) {
        return;
      }
      RunEntry entry = new RunEntry(0, "ComfyUI client " + shortId(run.origin()), true);
      entry.setHandle(run.handle());
      run.addListener(new Listener(entry, run.request().graph())); // before it starts, so it misses nothing
      Platform.runLater(() -> {
        entry.setNumber(++counter);
        entries.add(entry);
        busy.set(true);
      });
    }
  }

  private static String shortId(String clientId) {
    return clientId.isEmpty() ? "(no id)" : clientId.length() > 8 ? clientId.substring(0, 8) : clientId;
  }

  /** Cancels the running run; pending runs stay queued. */
  public void cancelCurrent() {
    RunEntry c = current.get();
    if (c != null) {
      c.cancel();
      progressText.set("cancelling\u2026");
    } else {
      entries.stream().filter(e -> e.status() == RunEntry.Status.PENDING).findFirst().ifPresent(RunEntry::cancel);
    }
  }

  /** Cancels everything queued and running. */
  public void cancelAll() {
    for (RunEntry e : entries) {
      e.cancel();
    }
  }

  public void clearFinished() {
    entries.removeIf(RunEntry::isFinished);
  }

  // ---------------------------------------------------------------- events, on the FX thread

  private void started(RunEntry entry, Graph graph, int planned, int willRun) {
    entry.statusProperty().set(RunEntry.Status.RUNNING);
    entry.detailProperty().set(willRun + " of " + planned + " nodes to run");
    current.set(entry);
    foreignRun = entry.fromClient();
    marks = foreignRun ? Marks.NONE : canvasMarks;
    runGraph = graph;
    toRun = willRun;
    finishedNodes = 0;
    runningNode = null;
    samples.clear();
    lastRate = 0;
    if (!foreignRun) {
      problems.clear();
      marks.clear();
    }
    progress.set(willRun == 0 ? 1 : 0);
    progressText.set("run #" + entry.number() + ": starting");
  }

  private String nameOf(NodeId id, String type) {
    return runGraph.node(id).map(n -> n.title() != null ? n.title() : id.value()).orElse(id.value());
  }

  private void nodeStarted(NodeId id, String type) {
    runningNode = id;
    runningName = nameOf(id, type);
    samples.clear();
    lastRate = 0;
    marks.mark(id, new NodeRunState(NodeRunState.Phase.RUNNING, 0, 0, ""));
    updateProgress(0, 0);
  }

  private void nodeCached(NodeId id) {
    marks.mark(id, NodeRunState.of(NodeRunState.Phase.CACHED));
  }

  private void progressed(NodeId id, int step, int total, long at) {
    if (!id.equals(runningNode)) {
      return;
    }
    samples.addLast(new long[] {step, at});
    while (samples.size() > RATE_WINDOW) {
      samples.removeFirst();
    }
    if (samples.size() >= 2) {
      long[] first = samples.getFirst();
      long[] last = samples.getLast();
      double secs = (last[1] - first[1]) / 1e9;
      lastRate = secs > 0 ? (last[0] - first[0]) / secs : lastRate;
    }
    marks.mark(id, new NodeRunState(NodeRunState.Phase.RUNNING, step, total, ""));
    updateProgress(step, total);
  }

  private void updateProgress(int step, int total) {
    double within = total > 0 ? Math.min(1, (double) step / total) : 0;
    progress.set(toRun == 0 ? 1 : Math.min(1, (finishedNodes + within) / toRun));
    StringBuilder sb = new StringBuilder(runningName);
    if (total > 0) {
      sb.append("  ").append(step).append('/').append(total);
    }
    if (lastRate > 0) {
      sb.append(String.format("  \u00b7  %.2f it/s", lastRate));
    }
    progressText.set(sb.toString());
  }

  private void previewed(NodeId id, RgbImage image, int step) {
    preview.set(FxImages.toFx(image));
    previewCaption.set(nameOf(id, "") + (step > 0 ? " \u00b7 step " + step : ""));
  }

  private void nodeFinished(NodeId id, Outputs outputs, long nanos) {
    finishedNodes++;
    if (id.equals(runningNode)) {
      runningNode = null;
    }
    marks.mark(id, new NodeRunState(NodeRunState.Phase.DONE, 0, 0, formatTime(nanos)));
    Display d = outputs.display();
    Image last = null;
    List<RgbImage> images = d.images();
    for (int i = 0; i < images.size(); i++) {
      RgbImage img = images.get(i);
      Image fx = FxImages.toFx(img);
      last = fx;
      Path file = i < d.files().size() ? d.files().get(i) : null;
      String caption = file != null ? file.getFileName().toString() : nameOf(id, "") + " #" + (i + 1);
      gallery.add(0, new GalleryItem(fx, img, file, caption));
    }
    if (last != null && images.size() > 0) {
      preview.set(last);
      previewCaption.set(nameOf(id, "") + " \u00b7 final");
    }
    if (last == null && d.thumbnail() != null) {
      last = FxImages.toFx(d.thumbnail());
    }
    String text = String.join("\n", d.text());
    if (!text.isEmpty() || last != null) {
      marks.result(id, text, last);
    }
    updateProgress(0, 0);
  }

  private void nodeFailed(NodeExecutionException error) {
    runningNode = null;
    marks.mark(error.nodeId(), new NodeRunState(NodeRunState.Phase.FAILED, 0, 0, error.reason()));
    if (foreignRun) {
      return; // the client hears of it; the canvas shows another graph
    }
    problems.add(new ProblemItem(error.nodeId(), nameOf(error.nodeId(), error.nodeType()) + " (" + error.nodeType()
        + ")", error.reason()));
  }

  private void finished(RunEntry entry, RunResult result) {
    switch (result.status()) {
      case SUCCEEDED -> {
        entry.statusProperty().set(RunEntry.Status.SUCCEEDED);
        entry.detailProperty().set(summary(result));
        progress.set(1);
        progressText.set("run #" + entry.number() + " done in " + formatTime(result.nanos()));
      }
      case FAILED -> {
        entry.statusProperty().set(RunEntry.Status.FAILED);
        entry.detailProperty().set(result.error().getMessage());
        progressText.set("run #" + entry.number() + " failed");
      }
      case CANCELLED -> {
        entry.statusProperty().set(RunEntry.Status.CANCELLED);
        entry.detailProperty().set("cancelled after " + formatTime(result.nanos()));
        if (runningNode != null) {
          marks.mark(runningNode, NodeRunState.IDLE);
        }
        progressText.set("run #" + entry.number() + " cancelled");
      }
      case INVALID -> {
        entry.statusProperty().set(RunEntry.Status.INVALID);
        entry.detailProperty().set(result.problems().size() == 1 ? "1 problem" : result.problems().size() + " problems");
        if (!foreignRun) {
          showProblems(result.problems());
        }
        progressText.set("run #" + entry.number() + " cannot start: " + entry.detail());
      }
    }
    runningNode = null;
    lastRate = 0;
    if (current.get() == entry) {
      current.set(null);
    }
    busy.set(entries.stream().anyMatch(e -> !e.isFinished()));
    onFinished.accept(entry);
  }

  /** Problems an import noticed (a ComfyUI workflow's missing model), shown as a refused run's would be. */
  public void showImportProblems(List<Problem> found) {
    runGraph = Graph.empty();
    showProblems(found);
  }

  private void showProblems(List<Problem> found) {
    Marks marks = canvasMarks;
    marks.clear();
    problems.clear();
    Map<NodeId, List<String>> byNode = new java.util.LinkedHashMap<>();
    for (Problem p : found) {
      String msg = (p.port() != null ? p.port() + ": " : "") + p.message()
          + (p.fix() == null || p.fix().isBlank() ? "" : ". Fix: " + p.fix());
      if (p.node() != null) {
        byNode.computeIfAbsent(p.node(), k -> new ArrayList<>()).add(msg);
      }
      problems.add(new ProblemItem(p.node(), p.node() == null ? "Workflow"
          : nameOf(p.node(), p.nodeType()) + (p.nodeType() == null ? "" : " (" + p.nodeType() + ")"), msg));
    }
    byNode.forEach((id, msgs) -> marks.mark(id, new NodeRunState(NodeRunState.Phase.FAILED, 0, 0,
        String.join("\n", msgs))));
  }

  private static String summary(RunResult r) {
    return r.executed() + " ran, " + r.cached() + " cached, " + formatTime(r.nanos());
  }

  static String formatTime(long nanos) {
    double s = nanos / 1e9;
    if (s < 1) {
      return String.format("%.0f ms", s * 1000);
    }
    if (s < 60) {
      return String.format("%.1f s", s);
    }
    return String.format("%d min %02d s", (long) s / 60, (long) s % 60);
  }

  // ---------------------------------------------------------------- the executor-side listener

  /** Collects events on the executor's thread and replays them on the FX thread. */
  private final class Listener implements ExecutionListener {
    private record Step(NodeId id, int step, int total, long at) {}

    private record Picture(NodeId id, RgbImage image, int step) {}

    private final RunEntry entry;
    private final Graph graph;
    private final ConcurrentLinkedQueue<Runnable> ordered = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Step> step = new AtomicReference<>();
    private final AtomicReference<Picture> picture = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile int lastStep;

    Listener(RunEntry entry, Graph graph) {
      this.entry = entry;
      this.graph = graph;
    }

    private void post(Runnable r) {
      ordered.add(r);
      schedule();
    }

    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        Platform.runLater(this::drain);
      }
    }

    private void drain() {
      scheduled.set(false);
      for (Runnable r; (r = ordered.poll()) != null; ) {
        r.run();
      }
      Step s = step.getAndSet(null);
      if (s != null) {
        progressed(s.id(), s.step(), s.total(), s.at());
      }
      Picture p = picture.getAndSet(null);
      if (p != null) {
        previewed(p.id(), p.image(), p.step());
      }
      if (!ordered.isEmpty()) {
        schedule();
      }
    }

    @Override
    public void runStarted(int planned, int willRun) {
      post(() -> started(entry, graph, planned, willRun));
    }

    @Override
    public void nodeStarted(NodeId id, String type) {
      post(() -> RunController.this.nodeStarted(id, type));
    }

    @Override
    public void nodeCached(NodeId id, String type) {
      post(() -> RunController.this.nodeCached(id));
    }

    @Override
    public void progress(NodeId id, int s, int total) {
      lastStep = s;
      step.set(new Step(id, s, total, System.nanoTime()));
      schedule();
    }

    @Override
    public void preview(NodeId id, RgbImage image) {
      picture.set(new Picture(id, image, lastStep));
      schedule();
    }

    @Override
    public void nodeFinished(NodeId id, String type, Outputs outputs, long nanos) {
      Step pending = step.getAndSet(null);
      Picture last = picture.getAndSet(null); // shown before the final picture, never after it
      post(() -> {
        if (pending != null) {
          progressed(pending.id(), pending.step(), pending.total(), pending.at());
        }
        if (last != null) {
          previewed(last.id(), last.image(), last.step());
        }
        RunController.this.nodeFinished(id, outputs, nanos);
      });
    }

    @Override
    public void nodeFailed(NodeExecutionException error) {
      post(() -> RunController.this.nodeFailed(error));
    }

    @Override
    public void warning(NodeId id, String message) {
      post(() -> problems.add(new ProblemItem(id, nameOf(id, "") + " \u00b7 warning", message)));
    }

    @Override
    public void runFinished(RunResult result) {
      post(() -> {
        if (entry.status() == RunEntry.Status.PENDING) {
          // a run cancelled or refused before it started never announced itself
          entry.statusProperty().set(RunEntry.Status.RUNNING);
          runGraph = graph;
        }
        finished(entry, result);
      });
    }
  }
}
