package org.latentstudio.ui.canvas;

import java.util.Set;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import org.latentstudio.edit.MoveItems;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Vec2;

/**
 * The keys the canvas answers while it has the focus: space (hold to pan, tap to search), Escape (drop the
 * gesture, else the selection), Delete, the arrows (nudge the selection, further with Shift), F or period (fit)
 * and the Ctrl shortcuts of the edit actions. Keys typed into a widget's editor are not the canvas's: only events
 * aimed at the canvas itself are handled.
 */
final class KeyBindings {
  private final GraphCanvas canvas;
  private final MouseInput mouse;

  private KeyBindings(GraphCanvas canvas, MouseInput mouse) {
    this.canvas = canvas;
    this.mouse = mouse;
  }

  static void install(GraphCanvas canvas, MouseInput mouse) {
    KeyBindings keys = new KeyBindings(canvas, mouse);
    canvas.addEventHandler(KeyEvent.KEY_PRESSED, keys::pressed);
    canvas.addEventHandler(KeyEvent.KEY_RELEASED, keys::released);
  }

  private void pressed(KeyEvent e) {
    if (e.getTarget() != canvas) {
      return;
    }
    switch (e.getCode()) {
      case SPACE -> {
        mouse.spacePressed();
        e.consume();
      }
      case ESCAPE -> {
        if (!mouse.cancelGesture()) {
          canvas.clearSelection();
        }
        e.consume();
      }
      case DELETE, BACK_SPACE -> {
        canvas.deleteSelection();
        e.consume();
      }
      case LEFT, RIGHT, UP, DOWN -> {
        nudge(e);
        e.consume();
      }
      default -> {
        if (e.isShortcutDown()) {
          shortcut(e);
        } else if (!e.isAltDown() && (e.getCode() == KeyCode.F || e.getCode() == KeyCode.PERIOD)) {
          canvas.fitToView();
          e.consume();
        }
      }
    }
  }

  /** Moves the selection 10 canvas units (50 with Shift) in the arrow's direction, as one command. */
  private void nudge(KeyEvent e) {
    double step = e.isShiftDown() ? 50 : 10;
    Vec2 d = switch (e.getCode()) {
      case LEFT -> new Vec2(-step, 0);
      case RIGHT -> new Vec2(step, 0);
      case UP -> new Vec2(0, -step);
      default -> new Vec2(0, step);
    };
    if (!canvas.selection().isEmpty() || !canvas.selectedGroups().isEmpty()) {
      canvas.document().execute(new MoveItems(Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups()), d));
    }
  }

  private void shortcut(KeyEvent e) {
    boolean handled = true;
    switch (e.getCode()) {
      case C -> canvas.copySelection();
      case X -> canvas.cutSelection();
      case V -> canvas.paste(e.isShiftDown());
      case D -> canvas.duplicateSelection();
      case A -> canvas.selectAll();
      case G -> canvas.groupSelection();
      case M -> canvas.toggleMode(NodeMode.MUTED);
      case B -> canvas.toggleMode(NodeMode.BYPASSED);
      default -> handled = false;
    }
    if (handled) {
      e.consume();
    }
  }

  private void released(KeyEvent e) {
    if (e.getCode() == KeyCode.SPACE && mouse.spaceReleased()) {
      e.consume();
    }
  }
}
