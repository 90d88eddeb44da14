package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Rect;

/**
 * One mouse drag on the canvas, from press to release. While it runs it holds only temporary view state (an
 * offset, a size, a rubber band); on release it turns that into at most one command. The hooks below let a
 * gesture change what the back layer draws meanwhile, so the painters need not know each kind of gesture.
 */
interface Gesture {
  void drag(Point2D screen, MouseEvent e);

  void release(Point2D screen, MouseEvent e);

  /** Escape: forget the gesture and leave the graph as it was. */
  default void cancel() {}

  /** Where group {@code index} shows while this gesture runs, given where the graph has it. */
  default Rect groupBounds(int index, Rect committed) {
    return committed;
  }

  /** A link this gesture has picked up, which is then not drawn in its old place. */
  default Link hiddenLink() {
    return null;
  }

  /** Draws over the wires, in canvas units. */
  default void paintOver(GraphicsContext g) {}
}
