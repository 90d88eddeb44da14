package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;

/**
 * The shape of a wire: a cubic Bézier leaving the output to the right and entering the input from the left. The
 * painters, the hit tests and the wire being drawn all use this one copy of the formula, so a wire is picked
 * exactly where it is seen.
 */
final class WireCurve {
  private WireCurve() {}

  /** How far the control points reach out horizontally from each end. */
  static double handle(Point2D from, Point2D to) {
    return Math.max(40, Math.abs(to.getX() - from.getX()) * 0.5);
  }

  /** The point at {@code t} in [0, 1] along the wire from {@code a} to {@code b}. */
  static Point2D at(Point2D a, Point2D b, double dx, double t) {
    double u = 1 - t;
    double x = u * u * u * a.getX() + 3 * u * u * t * (a.getX() + dx) + 3 * u * t * t * (b.getX() - dx) + t * t * t * b.getX();
    double y = u * u * u * a.getY() + 3 * u * u * t * a.getY() + 3 * u * t * t * b.getY() + t * t * t * b.getY();
    return new Point2D(x, y);
  }

  static double distanceToSegment(Point2D p, Point2D a, Point2D b) {
    double vx = b.getX() - a.getX();
    double vy = b.getY() - a.getY();
    double len2 = vx * vx + vy * vy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p.getX() - a.getX()) * vx + (p.getY() - a.getY()) * vy) / len2));
    return p.distance(a.getX() + t * vx, a.getY() + t * vy);
  }
}
