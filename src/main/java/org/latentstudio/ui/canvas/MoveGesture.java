package org.latentstudio.ui.canvas;

import java.util.LinkedHashSet;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import org.latentstudio.edit.MoveItems;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;

/**
 * Moves the selected nodes and groups (and the nodes inside those groups) by one offset. While dragging, the
 * node views are only translated and the groups drawn shifted; the release pushes one {@link MoveItems}. A
 * press that moves less than a few pixels is a click, not a move.
 */
final class MoveGesture implements Gesture {
  private final GraphCanvas c;
  private final Point2D start;
  private final Set<NodeId> nodes = new LinkedHashSet<>();
  private final Set<Integer> groups;
  private Vec2 delta = Vec2.ZERO;
  private boolean moved;

  MoveGesture(GraphCanvas c, Point2D start, Set<NodeId> selected, Set<Integer> groups) {
    this.c = c;
    this.start = start;
    this.groups = groups;
    nodes.addAll(selected);
    for (int g : groups) {
      nodes.addAll(c.hits().nodesInGroup(g));
    }
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    double dx = (screen.getX() - start.getX()) / c.zoom();
    double dy = (screen.getY() - start.getY()) / c.zoom();
    if (!moved && Math.hypot(dx * c.zoom(), dy * c.zoom()) < 3) {
      return;
    }
    moved = true;
    delta = new Vec2(dx, dy);
    for (NodeId id : nodes) {
      NodeView v = c.views().get(id);
      if (v != null) {
        v.setTranslateX(dx);
        v.setTranslateY(dy);
      }
    }
    c.requestRedraw();
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {
    resetOffsets();
    if (moved && (delta.x() != 0 || delta.y() != 0)) {
      c.document().execute(new MoveItems(nodes, groups, delta));
      c.document().seal();
    }
  }

  private void resetOffsets() {
    for (NodeId id : nodes) {
      NodeView v = c.views().get(id);
      if (v != null) {
        v.setTranslateX(0);
        v.setTranslateY(0);
      }
    }
  }

  @Override
  public void cancel() {
    delta = Vec2.ZERO;
    resetOffsets();
  }

  @Override
  public Rect groupBounds(int index, Rect committed) {
    return groups.contains(index) ? committed.translate(delta) : committed;
  }
}
