package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import org.latentstudio.edit.EditGroup;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Rect;

/** Resizes a group frame from its bottom-right corner; the frame is drawn at the new size until the release. */
final class GroupResizeGesture implements Gesture {
  private final GraphCanvas c;
  private final int index;
  private final Rect original;
  private final Point2D start;
  private Rect bounds;

  GroupResizeGesture(GraphCanvas c, int index, Point2D start) {
    this.c = c;
    this.index = index;
    this.original = c.graph().groups().get(index).bounds();
    this.start = start;
    this.bounds = original;
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    double w = Math.max(120, original.width() + (screen.getX() - start.getX()) / c.zoom());
    double h = Math.max(GroupFrames.TITLE_H + 20, original.height() + (screen.getY() - start.getY()) / c.zoom());
    bounds = new Rect(original.x(), original.y(), Math.round(w), Math.round(h));
    c.requestRedraw();
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {
    if (!bounds.equals(original)) {
      Group g = c.graph().groups().get(index);
      c.document().execute(new EditGroup(index, g.withBounds(bounds)));
      c.document().seal();
    }
  }

  @Override
  public Rect groupBounds(int i, Rect committed) {
    return i == index ? bounds : committed;
  }
}
