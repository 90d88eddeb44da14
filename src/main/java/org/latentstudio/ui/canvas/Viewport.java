package org.latentstudio.ui.canvas;

import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Transform;
import javafx.scene.transform.Translate;

/**
 * Pan and zoom, and the conversions between the canvas's screen pixels and canvas units. It is the one owner of
 * the view transform: the node layer wears its transforms, painters and hit tests ask it, and every change goes
 * through {@link #set}, so the canvas hears of each change once and decides there what to repaint.
 */
final class Viewport {
  static final double MIN_ZOOM = 0.1;
  static final double MAX_ZOOM = 4;

  private final Translate pan = new Translate();
  private final Scale scale = new Scale(1, 1, 0, 0);
  private final Runnable changed;

  /** @param changed runs after every change of pan or zoom */
  Viewport(Runnable changed) {
    this.changed = changed;
  }

  /** Pan then zoom, for the layer that holds the node views. */
  List<Transform> transforms() {
    return List.of(pan, scale);
  }

  double zoom() {
    return scale.getX();
  }

  DoubleProperty zoomProperty() {
    return scale.xProperty();
  }

  double panX() {
    return pan.getX();
  }

  double panY() {
    return pan.getY();
  }

  void set(double zoom, double panX, double panY) {
    double z = clamp(zoom);
    scale.setX(z);
    scale.setY(z);
    pan.setX(panX);
    pan.setY(panY);
    changed.run();
  }

  /** Zooms by {@code factor} keeping the canvas point under {@code screen} in place. */
  void zoomAt(double factor, Point2D screen) {
    double z1 = clamp(zoom() * factor);
    Point2D w = toWorld(screen);
    set(z1, screen.getX() - w.getX() * z1, screen.getY() - w.getY() * z1);
  }

  /**
   * Centres {@code content} (canvas units) in a view of this size, close enough to leave a margin but never
   * magnified past 125 %; with no content, puts the origin in the middle at 100 %.
   */
  void frame(Bounds content, double viewWidth, double viewHeight) {
    if (content == null) {
      set(1, viewWidth / 2, viewHeight / 2);
      return;
    }
    double w = Math.max(viewWidth, 200);
    double h = Math.max(viewHeight, 200);
    double z = clamp(Math.min(1.25, Math.min((w - 80) / content.getWidth(), (h - 80) / content.getHeight())));
    set(z, w / 2 - (content.getMinX() + content.getWidth() / 2) * z,
        h / 2 - (content.getMinY() + content.getHeight() / 2) * z);
  }

  Point2D toWorld(Point2D screen) {
    return new Point2D((screen.getX() - pan.getX()) / zoom(), (screen.getY() - pan.getY()) / zoom());
  }

  Point2D toScreen(Point2D world) {
    return new Point2D(world.getX() * zoom() + pan.getX(), world.getY() * zoom() + pan.getY());
  }

  static double clamp(double z) {
    return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
  }
}
