package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.latentstudio.image.Canny;
import org.junit.jupiter.api.Test;

class CannyTest {
  /** A white square from (20, 20) to (43, 43) on black. */
  static float[] square(int n) {
    float[] g = new float[n * n];
    for (int y = 20; y < 44; y++) {
      for (int x = 20; x < 44; x++) {
        g[y * n + x] = 1f;
      }
    }
    return g;
  }

  @Test
  void edgesAreThinLinesOnTheBoundaryOnly() {
    int n = 64;
    float[] e = Canny.edges(square(n), n, n, 0.4, 0.8);
    int onEdge = 0;
    int elsewhere = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        boolean near = Math.abs(x - 19.5) <= 1.5 || Math.abs(x - 43.5) <= 1.5 || Math.abs(y - 19.5) <= 1.5
            || Math.abs(y - 43.5) <= 1.5;
        boolean inside = x >= 18 && x <= 45 && y >= 18 && y <= 45;
        if (e[y * n + x] > 0) {
          if (near && inside) {
            onEdge++;
          } else {
            elsewhere++;
          }
        }
      }
    }
    assertEquals(0, elsewhere, "edge pixels away from the square's outline");
    // four sides of 24 px, one or two pixels thick after non-maximum suppression (corners may break)
    assertTrue(onEdge >= 4 * 16 && onEdge <= 4 * 24 * 2, "edge pixels on the outline: " + onEdge);
    // the middle of a flat area has no edge
    assertEquals(0f, e[32 * n + 32]);
  }

  @Test
  void thresholdsDecide() {
    int n = 64;
    float[] faint = square(n);
    for (int i = 0; i < faint.length; i++) {
      faint[i] *= 0.1f;
    }
    // a step of 0.1 gives a gradient magnitude of about 0.2 after the blur
    assertEquals(0, count(Canny.edges(faint, n, n, 0.4, 0.8)));
    // with thresholds a tenth as high the faint square's outline comes back (exact ties between neighbours in
    // non-maximum suppression fall differently at another scale, so not pixel for pixel)
    int strong = count(Canny.edges(square(n), n, n, 0.4, 0.8));
    int faintEdges = count(Canny.edges(faint, n, n, 0.04, 0.08));
    assertTrue(faintEdges >= strong / 2 && faintEdges <= strong, faintEdges + " of " + strong);
  }

  private static int count(float[] e) {
    int c = 0;
    for (float v : e) {
      c += v > 0 ? 1 : 0;
    }
    return c;
  }
}
