package org.latentstudio.graph;

/** An axis-aligned rectangle on the canvas. */
public record Rect(double x, double y, double width, double height) {
  public boolean contains(Vec2 p) {
    return p.x() >= x && p.y() >= y && p.x() <= x + width && p.y() <= y + height;
  }

  public Rect translate(Vec2 delta) {
    return new Rect(x + delta.x(), y + delta.y(), width, height);
  }
}
