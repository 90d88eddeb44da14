package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import org.latentstudio.edit.ResizeNode;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.Vec2;

/**
 * Resizes a node from the grip in its bottom-right corner. The view shows the new size as a stand-in node
 * record while dragging; the release pushes one {@link ResizeNode}, and the view goes back to the document's
 * node, which the command then updates.
 */
final class NodeResizeGesture implements Gesture {
  private final GraphCanvas c;
  private final NodeView view;
  private final Node original;
  private final Point2D start;
  private Vec2 size;

  NodeResizeGesture(GraphCanvas c, NodeView view, Point2D start) {
    this.c = c;
    this.view = view;
    this.original = view.node();
    this.start = start;
    this.size = original.size();
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    double baseH = Math.max(original.size().y(), view.nodeLayout().height());
    double h = Math.max(40, baseH + (screen.getY() - start.getY()) / c.zoom());
    double w = Math.max(NodeLayout.MIN_WIDTH, original.size().x() + (screen.getX() - start.getX()) / c.zoom());
    size = new Vec2(Math.round(w), Math.round(h));
    view.update(original.withSize(size), c.nodeViews().linkedFrom(original.id()));
    c.requestRedraw();
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {
    view.update(original, c.nodeViews().linkedFrom(original.id()));
    if (!size.equals(original.size())) {
      c.document().execute(new ResizeNode(original.id(), size));
      c.document().seal();
    }
  }

  @Override
  public void cancel() {
    view.update(original, c.nodeViews().linkedFrom(original.id()));
  }
}
