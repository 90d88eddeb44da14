package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;

/** Drags the view around: the middle button, or the left button with space held. */
final class PanGesture implements Gesture {
  private final Viewport viewport;
  private final Runnable panned;
  private Point2D last;

  /** @param panned runs on every move, so a space tap that panned does not also open the search */
  PanGesture(Viewport viewport, Point2D start, Runnable panned) {
    this.viewport = viewport;
    this.last = start;
    this.panned = panned;
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    viewport.set(viewport.zoom(), viewport.panX() + screen.getX() - last.getX(),
        viewport.panY() + screen.getY() - last.getY());
    last = screen;
    panned.run();
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {}
}
