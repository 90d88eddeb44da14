package org.latentstudio.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.io.Workflow;
import javafx.geometry.Pos;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.latentstudio.edit.Command;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.canvas.NodeRunState;
import org.latentstudio.ui.canvas.NodeView;
import org.latentstudio.ui.widgets.SeedControl;
import org.latentstudio.ui.run.RunController;
import org.latentstudio.ui.run.RunEntry;

/**
 * Running the graph from the window. It queues the document as it is (with the workflow, for the saved
 * pictures), then moves seeds on as their after-run controls say, as one undo step; it tells the user how each
 * run ended; and it shows the runs' progress, cache hits, errors and results on the canvas's nodes.
 */
final class RunActions {
  private final StudioConfig cfg;
  private final Stage stage;
  private final Document doc;
  private final GraphCanvas canvas;
  private final Supplier<String> documentName;
  private final WorkflowFiles pictures;
  private final Consumer<String> status;
  private final RunController runs;
  private final WorkflowCodec codec = new WorkflowCodec();
  private final Random random = new Random();

  /**
   * @param documentName the name runs are listed under
   * @param status shows a message in the status bar
   */
  RunActions(StudioConfig cfg, Stage stage, Document doc, GraphCanvas canvas, Supplier<String> documentName,
      Consumer<String> status) {
    this.cfg = cfg;
    this.stage = stage;
    this.doc = doc;
    this.canvas = canvas;
    this.documentName = documentName;
    this.status = status;
    this.pictures = new WorkflowFiles(cfg.registry(), null);
    this.runs = new RunController(cfg.executor(), new RunSettings(cfg.outputDir(), cfg.previewEvery()), new Marks());
    runs.setOnFinished(this::finished);
  }

  RunController controller() {
    return runs;
  }

  /** Queues the graph as it is now, then moves seeds on as their after-run controls say. */
  RunEntry run() {
    Graph g = doc.graph();
    Workflow wf = doc.toWorkflow();
    RunEntry entry = runs.submit(g, documentName.get(), codec.write(wf), pictures.comfyPictureText(wf));
    status.accept("Queued run #" + entry.number());
    advanceSeeds(g);
    return entry;
  }

  private void advanceSeeds(Graph g) {
    List<Command> changes = new ArrayList<>();
    for (Node n : g.nodeList()) {
      Optional<NodeSchema> s = cfg.registry().schema(n.type());
      if (s.isEmpty() || n.mode() == NodeMode.MUTED) {
        continue;
      }
      for (InputSpec in : s.get().inputs()) {
        if (!in.seed() || g.linkInto(new PortRef(n.id(), in.name())).isPresent()) {
          continue;
        }
        Object v = WidgetValues.effective(n, in);
        long current;
        try {
          current = v == null ? 0 : (Long) WidgetValues.coerce(in, v);
        } catch (IllegalArgumentException e) {
          continue;
        }
        Long next = SeedControl.of(n, in.name()).next(current, in, random);
        if (next != null) {
          changes.add(new SetWidget(n.id(), in.name(), next));
        }
      }
    }
    if (!changes.isEmpty()) {
      doc.seal();
      doc.execute(new Composite("New seed after run", changes));
      doc.seal();
    }
  }

  private void finished(RunEntry entry) {
    switch (entry.status()) {
      case SUCCEEDED -> notifyUser("Run #" + entry.number() + " finished", entry.detail(), false);
      case FAILED, INVALID -> notifyUser("Run #" + entry.number() + " failed", entry.detail(), true);
      case CANCELLED -> status.accept("Run #" + entry.number() + " cancelled");
      default -> { }
    }
  }

  /** In the status bar, and as a pop-up when the window shows and the config allows. */
  private void notifyUser(String title, String text, boolean error) {
    status.accept(title + (text.isEmpty() ? "" : ": " + text));
    if (!cfg.notifications() || !stage.isShowing()) {
      return;
    }
    try {
      Notifications n = Notifications.create().owner(stage).title(title).text(text)
          .hideAfter(Duration.seconds(error ? 8 : 3)).position(Pos.BOTTOM_RIGHT);
      if (error) {
        n.showError();
      } else {
        n.showInformation();
      }
    } catch (RuntimeException e) {
      // a pop-up that cannot show is not worth more than the status line above
    }
  }

  /** What a run shows on the canvas's nodes. */
  private final class Marks implements RunController.Marks {
    @Override
    public void clear() {
      canvas.clearRunStates();
      for (NodeView v : canvas.views().values()) {
        v.setResult(null, null);
      }
    }

    @Override
    public void mark(NodeId node, NodeRunState state) {
      canvas.setRunState(node, state);
    }

    @Override
    public void result(NodeId node, String text, javafx.scene.image.Image image) {
      NodeView v = canvas.view(node);
      if (v != null) {
        v.setResult(text, image);
      }
    }
  }
}
