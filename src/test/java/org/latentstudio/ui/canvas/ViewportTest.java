package org.latentstudio.ui.canvas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.geometry.BoundingBox;
import javafx.geometry.Point2D;
import org.junit.jupiter.api.Test;

/** The view transform on its own: no window, no FX thread. */
class ViewportTest {
  private int changes;
  private final Viewport viewport = new Viewport(() -> changes++);

  @Test
  void screenAndCanvasPointsConvertBothWays() {
    viewport.set(2, 100, 50);
    Point2D world = viewport.toWorld(new Point2D(300, 250));
    assertEquals(new Point2D(100, 100), world);
    assertEquals(new Point2D(300, 250), viewport.toScreen(world));
    assertEquals(1, changes, "each change is reported once");
  }

  @Test
  void zoomingKeepsThePointUnderThePointerInPlace() {
    viewport.set(1, 40, 30);
    Point2D pointer = new Point2D(200, 120);
    Point2D before = viewport.toWorld(pointer);
    viewport.zoomAt(1.5, pointer);
    assertEquals(1.5, viewport.zoom());
    Point2D after = viewport.toWorld(pointer);
    assertEquals(before.getX(), after.getX(), 1e-9);
    assertEquals(before.getY(), after.getY(), 1e-9);
  }

  @Test
  void zoomStaysWithinItsLimits() {
    viewport.set(100, 0, 0);
    assertEquals(Viewport.MAX_ZOOM, viewport.zoom());
    viewport.zoomAt(1e-6, Point2D.ZERO);
    assertEquals(Viewport.MIN_ZOOM, viewport.zoom());
  }

  @Test
  void framingCentresTheContentAndNeverMagnifiesPast125Percent() {
    viewport.frame(new BoundingBox(0, 0, 100, 50), 800, 600);
    assertEquals(1.25, viewport.zoom());
    Point2D centre = viewport.toScreen(new Point2D(50, 25));
    assertEquals(400, centre.getX(), 1e-9);
    assertEquals(300, centre.getY(), 1e-9);
    viewport.frame(null, 800, 600);
    assertEquals(1, viewport.zoom());
    assertEquals(new Point2D(400, 300), viewport.toScreen(Point2D.ZERO), "no content: the origin in the middle");
  }
}
