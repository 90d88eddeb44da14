package org.latentstudio.ui.canvas;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Point2D;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import org.latentstudio.graph.NodeSchema;

/**
 * What can be dropped on the canvas from elsewhere: a node type from the node library (added where it lands), a
 * model from the models panel (its loader node, set to that model; a LoRA dropped on a checkpoint's wire is put in
 * between), or files, which the window opens as
 * workflows.
 */
final class ExternalDrop {
  private final GraphCanvas canvas;

  private ExternalDrop(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  static void install(GraphCanvas canvas) {
    ExternalDrop drop = new ExternalDrop(canvas);
    canvas.setOnDragOver(drop::dragOver);
    canvas.setOnDragDropped(drop::dragDropped);
  }

  private void dragOver(DragEvent e) {
    if (e.getDragboard().hasFiles() || e.getDragboard().hasContent(GraphCanvas.MODEL_FORMAT)
        || e.getDragboard().hasContent(GraphCanvas.NODE_FORMAT)) {
      e.acceptTransferModes(TransferMode.COPY);
      e.consume();
    }
  }

  private void dragDropped(DragEvent e) {
    boolean done = false;
    Dragboard board = e.getDragboard();
    Point2D wp = canvas.screenToWorld(new Point2D(e.getX(), e.getY()));
    if (board.hasContent(GraphCanvas.NODE_FORMAT)) {
      Optional<NodeSchema> s = canvas.catalog().schema(String.valueOf(board.getContent(GraphCanvas.NODE_FORMAT)));
      s.ifPresent(schema -> canvas.addNode(schema, wp));
      done = s.isPresent();
    } else if (board.hasContent(GraphCanvas.MODEL_FORMAT)) {
      String[] parts = String.valueOf(board.getContent(GraphCanvas.MODEL_FORMAT)).split("\n", 2);
      if (parts.length == 2) {
        done = canvas.dropModel(parts[0], parts[1], wp).isPresent();
      }
    } else if (board.hasFiles()) {
      List<Path> files = board.getFiles().stream().map(File::toPath).toList();
      canvas.host().filesDropped(files);
      done = true;
    }
    e.setDropCompleted(done);
    e.consume();
  }
}
