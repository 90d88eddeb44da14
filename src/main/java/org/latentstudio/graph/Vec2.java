package org.latentstudio.graph;

/** A point or a size on the canvas, in canvas units. */
public record Vec2(double x, double y) {
  public static final Vec2 ZERO = new Vec2(0, 0);

  public Vec2 plus(Vec2 other) {
    return new Vec2(x + other.x, y + other.y);
  }

  public Vec2 minus(Vec2 other) {
    return new Vec2(x - other.x, y - other.y);
  }
}
