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
 * between), pictures (a Load Image node each, e.g. a control image or an IP-Adapter reference), or workflow files
 * and PNGs that carry a workflow, which the window opens.
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

  /** Pictures become Load Image nodes from {@code at} on; workflows, and pictures that carry one, are opened. */
  static void dropFiles(GraphCanvas canvas, List<Path> files, Point2D at) {
    List<Path> workflows = new java.util.ArrayList<>();
    for (Path f : files) {
      if (isPicture(f) && !carriesWorkflow(f)) {
        canvas.addImageLoader(f, at);
        at = at.add(30, 30);
      } else {
        workflows.add(f);
      }
    }
    if (!workflows.isEmpty()) {
      canvas.host().filesDropped(workflows);
    }
  }

  static boolean isPicture(Path f) {
    String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
        || n.endsWith(".gif");
  }

  /**
   * A PNG the studio or ComfyUI saved opens as its workflow (ComfyUI's API-only pictures carry just "prompt");
   * any other picture is an input.
   */
  static boolean carriesWorkflow(Path f) {
    if (!f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
      return false;
    }
    try {
      var text = org.latentstudio.image.PngText.read(f);
      return text.containsKey("workflow") || text.containsKey("prompt");
    } catch (java.io.IOException e) {
      return false;
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
      dropFiles(canvas, board.getFiles().stream().map(File::toPath).toList(), wp);
      done = true;
    }
    e.setDropCompleted(done);
    e.consume();
  }
}
