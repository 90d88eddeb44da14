package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Rectangle;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;

/**
 * A press on empty canvas: dragged, it draws a rubber band and selects the nodes it touches and the groups it
 * holds whole; a plain click clears the selection. With Shift or Ctrl the selection grows instead.
 */
final class BandGesture implements Gesture {
  private final GraphCanvas c;
  private final Rectangle band;
  private final Point2D start;
  private final boolean additive;
  private final Runnable dragStarted;
  private boolean dragged;

  /** @param dragStarted runs once the press has become a drag rather than a click */
  BandGesture(GraphCanvas c, Rectangle band, Point2D start, boolean additive, Runnable dragStarted) {
    this.c = c;
    this.band = band;
    this.start = start;
    this.additive = additive;
    this.dragStarted = dragStarted;
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    if (!dragged && screen.distance(start) < 3) {
      return;
    }
    dragged = true;
    dragStarted.run();
    band.setX(Math.min(start.getX(), screen.getX()));
    band.setY(Math.min(start.getY(), screen.getY()));
    band.setWidth(Math.abs(screen.getX() - start.getX()));
    band.setHeight(Math.abs(screen.getY() - start.getY()));
    band.setVisible(true);
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {
    band.setVisible(false);
    if (!dragged) {
      if (!additive) {
        c.clearSelection();
      }
      return;
    }
    Point2D a = c.screenToWorld(new Point2D(band.getX(), band.getY()));
    Point2D b = c.screenToWorld(new Point2D(band.getX() + band.getWidth(), band.getY() + band.getHeight()));
    Rect r = new Rect(a.getX(), a.getY(), b.getX() - a.getX(), b.getY() - a.getY());
    if (!additive) {
      c.clearSelection();
    }
    for (NodeView v : c.views().values()) {
      Rect nr = new Rect(v.getLayoutX(), v.getLayoutY(), v.nodeWidth(), v.nodeHeight());
      if (HitTest.overlaps(r, nr)) {
        c.selection().add(v.node().id());
      }
    }
    Graph shown = c.graph();
    for (int i = 0; i < shown.groups().size(); i++) {
      Rect g = shown.groups().get(i).bounds();
      if (r.contains(new Vec2(g.x(), g.y())) && r.contains(new Vec2(g.x() + g.width(), g.y() + g.height()))) {
        c.selectedGroups().add(i);
      }
    }
  }

  @Override
  public void cancel() {
    band.setVisible(false);
  }
}
