package org.latentstudio.ui;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.run.RunController;
import org.latentstudio.ui.run.RunEntry;

/**
 * The tool bar: Run and Cancel, the current run's progress and speed, how many runs wait, and on the right the
 * zoom and a Fit button. Everything in it is bound to the run controller and the canvas, so it needs no
 * updating by hand.
 */
final class StudioToolBar {
  private StudioToolBar() {}

  static ToolBar build(RunController runs, GraphCanvas canvas, Runnable run) {
    Button runButton = new Button("Run");
    runButton.setId("run-button");
    runButton.getStyleClass().add(Styles.ACCENT);
    runButton.setTooltip(new Tooltip("Queue the graph (Ctrl+Enter)"));
    runButton.setOnAction(e -> run.run());
    Button cancel = new Button("Cancel");
    cancel.setId("cancel-button");
    cancel.getStyleClass().add(Styles.DANGER);
    cancel.setTooltip(new Tooltip("Stop the running run within one step (Ctrl+.)"));
    cancel.disableProperty().bind(runs.busyProperty().not());
    cancel.setOnAction(e -> runs.cancelCurrent());
    ProgressBar progress = new ProgressBar();
    progress.setId("run-progress");
    progress.setPrefWidth(220);
    progress.setMinWidth(220);
    progress.progressProperty().bind(runs.progressProperty());
    progress.visibleProperty().bind(runs.busyProperty());
    Label text = new Label();
    text.setId("run-status");
    text.getStyleClass().add("run-stats");
    text.textProperty().bind(runs.progressTextProperty());
    Label queued = new Label();
    queued.getStyleClass().add("muted");
    queued.textProperty().bind(Bindings.createStringBinding(() -> {
      long pending = runs.entries().stream().filter(r -> r.status() == RunEntry.Status.PENDING).count();
      return pending == 0 ? "" : pending + " queued";
    }, runs.entries(), runs.currentProperty()));
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Label zoom = new Label();
    zoom.textProperty().bind(Bindings.createStringBinding(() -> Math.round(canvas.zoom() * 100) + "%",
        canvas.zoomProperty()));
    Button fit = new Button("Fit");
    fit.setTooltip(new Tooltip("Fit the graph in view (F)"));
    fit.setOnAction(e -> canvas.fitToView());
    ToolBar bar = new ToolBar(runButton, cancel, progress, text, queued, spacer, zoom, fit);
    bar.setId("tool-bar");
    return bar;
  }
}
