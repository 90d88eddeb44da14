package org.latentstudio.ui.canvas;

import java.util.Objects;
import javafx.animation.PauseTransition;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.util.Duration;
import org.latentstudio.graph.PortType;

/**
 * A short message by the pointer: why a wire is refused, that no loader fits a dropped model, or (in a quieter
 * style) the name and type of the port under the pointer, so a port's type never has to be guessed. Messages
 * fade after a few seconds; the port label goes as soon as the pointer leaves the port.
 */
final class PointerHint {
  private static final String INFO = "info";

  private final GraphCanvas canvas;
  private final Label label = new Label();
  private final PauseTransition timer = new PauseTransition(Duration.seconds(2.5));
  private PortHandle hovered;

  PointerHint(GraphCanvas canvas) {
    this.canvas = canvas;
    label.getStyleClass().add("canvas-hint");
    label.setVisible(false);
    label.setMouseTransparent(true);
    label.setManaged(false);
    timer.setOnFinished(e -> label.setVisible(false));
  }

  Label label() {
    return label;
  }

  /** Shows a message next to a point of the canvas (screen pixels). */
  void show(String text, Point2D screenAt) {
    label.getStyleClass().remove(INFO);
    label.setText(text);
    label.applyCss();
    label.autosize();
    label.relocate(Math.min(screenAt.getX() + 14, Math.max(0, canvas.getWidth() - label.getWidth() - 4)),
        Math.max(0, screenAt.getY() - 30));
    label.setVisible(true);
    timer.playFromStart();
  }

  void hide() {
    label.setVisible(false);
  }

  /** The pointer moved: names the port under it, if any, while no gesture runs and ports are big enough. */
  void pointerMoved(Point2D screen) {
    PortHandle p = canvas.gesture() == null && canvas.zoom() >= 0.3
        ? canvas.hits().portAt(canvas.screenToWorld(screen)) : null;
    if (Objects.equals(p, hovered)) {
      return;
    }
    hovered = p;
    if (p == null) {
      if (label.getStyleClass().contains(INFO)) {
        label.setVisible(false);
      }
      return;
    }
    PortType t = p.input() ? p.type() : canvas.validator().outputType(canvas.graph(), p.ref());
    show(p.port() + ": " + t, screen);
    label.getStyleClass().add(INFO);
  }
}
