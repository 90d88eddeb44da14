package org.latentstudio.ui;

import javafx.collections.SetChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.ui.canvas.GraphCanvas;

/** The bar along the bottom: the last message on the left, the graph's node, link and selection counts on the right. */
final class StatusBar {
  private final Document doc;
  private final GraphCanvas canvas;
  private final Label status = new Label("Ready");
  private final Label counts = new Label();
  private final Label server = new Label();
  private final HBox bar;

  StatusBar(Document doc, GraphCanvas canvas) {
    this.doc = doc;
    this.canvas = canvas;
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    status.setId("status");
    server.setId("server-status");
    server.getStyleClass().add("server-status");
    bar = new HBox(12, status, spacer, server, counts);
    bar.getStyleClass().add("status-bar");
    bar.setAlignment(Pos.CENTER_LEFT);
    doc.graphProperty().addListener((o, was, is) -> updateCounts());
    canvas.selection().addListener((SetChangeListener<NodeId>) c -> updateCounts());
    updateCounts();
  }

  /** Shows whether the ComfyUI API server runs, and on which port. */
  void bindServer(javafx.beans.value.ObservableValue<String> text) {
    server.textProperty().bind(text);
  }

  HBox node() {
    return bar;
  }

  void show(String message) {
    status.setText(message);
  }

  String text() {
    return status.getText();
  }

  private void updateCounts() {
    Graph g = doc.graph();
    String sel = canvas.selection().isEmpty() ? "" : "  \u00b7  " + canvas.selection().size() + " selected";
    counts.setText(g.nodes().size() + " nodes  \u00b7  " + g.links().size() + " links" + sel);
  }
}
