package org.latentstudio.ui.canvas;

import javafx.scene.canvas.GraphicsContext;
import org.latentstudio.ui.Palette;

/**
 * The background grid: minor lines every 20 canvas units and major ones every 100, thinned out when zoomed far
 * out so the lines never crowd closer than a few pixels. The lines are one-pixel rectangles, which the software
 * renderer fills directly, with no path to rasterise.
 */
final class GridPainter {
  private GridPainter() {}

  /** Paints in screen pixels over {@code w} x {@code h}; ({@code originX}, {@code originY}) is canvas (0, 0). */
  static void paint(GraphicsContext g, double w, double h, double originX, double originY, double zoom) {
    double minor = 20 * zoom;
    if (minor < 6) {
      minor *= 5;
    }
    double major = minor * 5;
    for (int pass = 0; pass < 2; pass++) {
      double step = pass == 0 ? minor : major;
      if (step < 6) {
        continue;
      }
      g.setFill(pass == 0 ? Palette.GRID_MINOR : Palette.GRID_MAJOR);
      double x0 = mod(originX, step);
      double y0 = mod(originY, step);
      for (double x = x0; x < w; x += step) {
        g.fillRect(Math.floor(x), 0, 1, h);
      }
      for (double y = y0; y < h; y += step) {
        g.fillRect(0, Math.floor(y), w, 1);
      }
    }
  }

  private static double mod(double a, double m) {
    double r = a % m;
    return r < 0 ? r + m : r;
  }
}
