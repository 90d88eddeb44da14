package org.latentstudio.ui.canvas;

import java.util.function.Consumer;
import javafx.geometry.Point2D;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Pane;
import org.latentstudio.edit.EditGroup;
import org.latentstudio.edit.SetTitle;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Node;

/**
 * Renames a node or a group in place: a text field over its title bar. Enter or leaving the field commits
 * through a command, Escape abandons; either way the keyboard goes back to the canvas.
 */
final class InlineTitleEditor {
  private final GraphCanvas canvas;
  private final Pane overlay;

  InlineTitleEditor(GraphCanvas canvas, Pane overlay) {
    this.canvas = canvas;
    this.overlay = overlay;
  }

  /** A node's title; typing the type's own name again clears the custom title. */
  void renameNode(NodeView v) {
    Node n = v.node();
    Point2D at = canvas.worldToScreen(new Point2D(v.getLayoutX(), v.getLayoutY()));
    edit(at, v.nodeWidth() * canvas.zoom(), n.titleOr(v.schema().displayName()),
        text -> canvas.document().execute(new SetTitle(n.id(), text.equals(v.schema().displayName()) ? null : text)));
  }

  void renameGroup(int index) {
    Group g = canvas.graph().groups().get(index);
    Point2D at = canvas.worldToScreen(new Point2D(g.bounds().x(), g.bounds().y()));
    edit(at, Math.max(160, g.bounds().width() * canvas.zoom()), g.title(), text -> {
      // the group may have gone while the field was open
      if (index < canvas.graph().groups().size()) {
        Group cur = canvas.graph().groups().get(index);
        canvas.document().execute(new EditGroup(index, new Group(text, cur.color(), cur.bounds())));
        canvas.document().seal();
      }
    });
  }

  private void edit(Point2D at, double width, String text, Consumer<String> done) {
    TextField field = new TextField(text);
    field.getStyleClass().add("inline-title-editor");
    field.setId("inline-editor");
    overlay.getChildren().add(field);
    field.resizeRelocate(at.getX(), at.getY(), Math.max(140, width), 28);
    boolean[] finished = {false};
    Runnable commit = () -> {
      if (!finished[0]) {
        finished[0] = true;
        overlay.getChildren().remove(field);
        done.accept(field.getText().strip());
        canvas.requestFocus();
      }
    };
    field.setOnAction(a -> commit.run());
    field.setOnKeyPressed(k -> {
      if (k.getCode() == KeyCode.ESCAPE) {
        finished[0] = true;
        overlay.getChildren().remove(field);
        canvas.requestFocus();
        k.consume();
      }
    });
    field.focusedProperty().addListener((o, was, is) -> {
      if (!is) {
        commit.run();
      }
    });
    field.requestFocus();
    field.selectAll();
  }
}
