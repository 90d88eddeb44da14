package org.latentstudio.shapes;

import java.awt.Color;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.image.RgbImage;

/**
 * Measures a 64×64 shapes picture with simple statistics, as the pack's Python analyser does:
 * <ul>
 *   <li>background: the median of the outer 2-pixel frame, nearest background colour;
 *   <li>the shape: pixels farther than 60 from the background, largest connected blob;
 *   <li>colour: a vote of the nearest palette colour over the blob's core (the background colour excluded);
 *   <li>position: the blob's centroid against the picture's centre;
 *   <li>size: sqrt(area) against a threshold; shape: correlation with per-shape templates (the mask around
 *       its centroid on a 20×20 grid spanning ±1.5·sqrt(area)).
 * </ul>
 * Size threshold and templates are calibrated on known scenes passed through the model's own VAE, so that
 * the VAE's blur is part of the reference and the test measures the diffusion model, not the decoder.
 */
final class PictureAnalyser {
  record Measure(String background, String colour, String position, String size, String shape, int area) {}

  private static final double FG_DISTANCE = 60;
  private static final double CENTER_RADIUS = 6;
  private static final int GRID = 20;
  private static final double SPAN = 1.5;

  private final Map<String, float[]> templates = new HashMap<>();
  private double sizeThreshold = 22;

  /** Templates and size threshold from pictures of known scenes (VAE reconstructions). */
  void calibrate(List<RgbImage> pictures, List<Scene> truths) {
    Map<String, List<float[]>> features = new HashMap<>();
    List<Double> small = new ArrayList<>();
    List<Double> large = new ArrayList<>();
    for (int i = 0; i < pictures.size(); i++) {
      Blob b = blob(pictures.get(i));
      if (b.area < 4) {
        continue;
      }
      Scene s = truths.get(i);
      features.computeIfAbsent(s.shape() + "/" + s.size(), k -> new ArrayList<>()).add(b.features());
      (s.size().equals("small") ? small : large).add(Math.sqrt(b.area));
    }
    templates.clear();
    features.forEach((k, fs) -> {
      float[] mean = new float[GRID * GRID];
      for (float[] f : fs) {
        for (int j = 0; j < mean.length; j++) {
          mean[j] += f[j] / fs.size();
        }
      }
      templates.put(k, normalise(mean));
    });
    double best = Double.MAX_VALUE;
    double lo = Math.min(min(small), min(large));
    double hi = Math.max(max(small), max(large));
    List<Double> ties = new ArrayList<>();
    for (int c = 0; c < 200; c++) {
      double t = lo + (hi - lo) * c / 199;
      double errors = small.stream().filter(v -> v > t).count() + large.stream().filter(v -> v <= t).count();
      if (errors < best) {
        best = errors;
        ties.clear();
      }
      if (errors == best) {
        ties.add(t);
      }
    }
    sizeThreshold = ties.stream().mapToDouble(Double::doubleValue).average().orElse(22);
  }

  Measure measure(RgbImage img) {
    Blob b = blob(img);
    if (b.area < 4) {
      return new Measure(b.backgroundName, null, null, null, null, b.area);
    }
    String shape = null;
    double bestScore = -2;
    float[] f = b.features();
    for (var t : templates.entrySet()) {
      double score = dot(f, t.getValue());
      if (score > bestScore) {
        bestScore = score;
        shape = t.getKey().split("/")[0];
      }
    }
    return new Measure(b.backgroundName, b.colour(), b.position(),
        Math.sqrt(b.area) > sizeThreshold ? "large" : "small", shape, b.area);
  }

  /**
   * How hollow the picture's shape is: the share of its outline's inside that shows the background, i.e. pixels
   * the blob encloses (they cannot reach the picture's edge without crossing it). 0 for a filled shape, about
   * 0.25 for a ring, 0.3 to 0.5 for a shape drawn as a thick outline.
   */
  double hollowness(RgbImage img) {
    Blob b = blob(img);
    if (b.area < 4) {
      return 0;
    }
    int n = Scene.SIZE;
    boolean[] outside = new boolean[n * n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      for (int p : new int[] {i, (n - 1) * n + i, i * n, i * n + n - 1}) {
        if (!b.mask[p] && !outside[p]) {
          outside[p] = true;
          queue.add(p);
        }
      }
    }
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int x = p % n;
      int y = p / n;
      int[][] nb = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
      for (int[] q : nb) {
        if (q[0] >= 0 && q[1] >= 0 && q[0] < n && q[1] < n) {
          int i = q[1] * n + q[0];
          if (!b.mask[i] && !outside[i]) {
            outside[i] = true;
            queue.add(i);
          }
        }
      }
    }
    int holes = 0;
    for (int i = 0; i < outside.length; i++) {
      holes += !outside[i] && !b.mask[i] ? 1 : 0;
    }
    return (double) holes / (holes + b.area);
  }

  /** The picture's largest foreground blob. */
  private static Blob blob(RgbImage img) {
    int n = Scene.SIZE;
    float[][] frame = new float[3][];
    List<float[]> border = new ArrayList<>();
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        if (x < 2 || y < 2 || x >= n - 2 || y >= n - 2) {
          border.add(new float[] {img.red(x, y), img.green(x, y), img.blue(x, y)});
        }
      }
    }
    float[] bg = new float[3];
    for (int k = 0; k < 3; k++) {
      final int c = k;
      frame[k] = new float[border.size()];
      for (int i = 0; i < border.size(); i++) {
        frame[k][i] = border.get(i)[c];
      }
      Arrays.sort(frame[k]);
      int m = frame[k].length;
      bg[k] = m % 2 == 1 ? frame[k][m / 2] : (frame[k][m / 2 - 1] + frame[k][m / 2]) / 2;
    }
    String bgName = nearest(bg, Scene.BACKGROUNDS, null);
    float[] dist = new float[n * n];
    boolean[] fg = new boolean[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double dr = img.red(x, y) - bg[0];
        double dg = img.green(x, y) - bg[1];
        double db = img.blue(x, y) - bg[2];
        dist[y * n + x] = (float) Math.sqrt(dr * dr + dg * dg + db * db);
        fg[y * n + x] = dist[y * n + x] > FG_DISTANCE;
      }
    }
    boolean[] largest = largestComponent(fg, n);
    return new Blob(img, largest, dist, bgName);
  }

  private static boolean[] largestComponent(boolean[] fg, int n) {
    int[] label = new int[n * n];
    int next = 0;
    int bestLabel = -1;
    int bestSize = 0;
    for (int start = 0; start < fg.length; start++) {
      if (!fg[start] || label[start] != 0) {
        continue;
      }
      next++;
      int size = 0;
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      queue.add(start);
      label[start] = next;
      while (!queue.isEmpty()) {
        int p = queue.poll();
        size++;
        int x = p % n;
        int y = p / n;
        int[][] nb = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
        for (int[] q : nb) {
          if (q[0] >= 0 && q[1] >= 0 && q[0] < n && q[1] < n) {
            int i = q[1] * n + q[0];
            if (fg[i] && label[i] == 0) {
              label[i] = next;
              queue.add(i);
            }
          }
        }
      }
      if (size > bestSize) {
        bestSize = size;
        bestLabel = next;
      }
    }
    boolean[] out = new boolean[fg.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = label[i] == bestLabel && bestLabel > 0;
    }
    return out;
  }

  private static final class Blob {
    final RgbImage img;
    final boolean[] mask;
    final float[] dist;
    final String backgroundName;
    final int area;
    double cx;
    double cy;

    Blob(RgbImage img, boolean[] mask, float[] dist, String backgroundName) {
      this.img = img;
      this.mask = mask;
      this.dist = dist;
      this.backgroundName = backgroundName;
      int count = 0;
      int n = Scene.SIZE;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          count++;
          cx += i % n;
          cy += i / n;
        }
      }
      area = count;
      if (count > 0) {
        cx /= count;
        cy /= count;
      }
    }

    String colour() {
      float peak = 0;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          peak = Math.max(peak, dist[i]);
        }
      }
      Map<String, Integer> votes = new HashMap<>();
      int n = Scene.SIZE;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i] && dist[i] >= 0.6 * peak) {
          float[] rgb = {img.red(i % n, i / n), img.green(i % n, i / n), img.blue(i % n, i / n)};
          votes.merge(nearest(rgb, Scene.COLOURS, backgroundName), 1, Integer::sum);
        }
      }
      return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    String position() {
      double dx = cx - 31.5;
      double dy = cy - 31.5;
      if (Math.max(Math.abs(dx), Math.abs(dy)) < CENTER_RADIUS) {
        return "center";
      }
      if (Math.abs(dx) >= Math.abs(dy)) {
        return dx < 0 ? "left" : "right";
      }
      return dy < 0 ? "top" : "bottom";
    }

    /** The mask around its centroid on a GRID×GRID lattice, bilinear, zero outside; zero-mean, unit-norm. */
    float[] features() {
      int n = Scene.SIZE;
      double r = SPAN * Math.sqrt(Math.max(area, 1));
      float[] f = new float[GRID * GRID];
      for (int gy = 0; gy < GRID; gy++) {
        for (int gx = 0; gx < GRID; gx++) {
          double y = cy - r + 2 * r * gy / (GRID - 1);
          double x = cx - r + 2 * r * gx / (GRID - 1);
          int x0 = (int) Math.floor(x);
          int y0 = (int) Math.floor(y);
          double lx = x - x0;
          double ly = y - y0;
          f[gy * GRID + gx] = (float) ((1 - ly) * ((1 - lx) * at(x0, y0, n) + lx * at(x0 + 1, y0, n))
              + ly * ((1 - lx) * at(x0, y0 + 1, n) + lx * at(x0 + 1, y0 + 1, n)));
        }
      }
      return normalise(f);
    }

    private double at(int x, int y, int n) {
      return x < 0 || y < 0 || x >= n || y >= n ? 0 : mask[y * n + x] ? 1 : 0;
    }
  }

  private static String nearest(float[] rgb, Map<String, Color> table, String excluded) {
    String best = null;
    double bestD = Double.MAX_VALUE;
    for (var e : table.entrySet()) {
      if (e.getKey().equals(excluded)) {
        continue;
      }
      Color c = e.getValue();
      double d = sq(rgb[0] - c.getRed()) + sq(rgb[1] - c.getGreen()) + sq(rgb[2] - c.getBlue());
      if (d < bestD) {
        bestD = d;
        best = e.getKey();
      }
    }
    return best;
  }

  private static double sq(double v) {
    return v * v;
  }

  private static float[] normalise(float[] f) {
    double mean = 0;
    for (float v : f) {
      mean += v / f.length;
    }
    double norm = 0;
    for (int i = 0; i < f.length; i++) {
      f[i] -= (float) mean;
      norm += f[i] * f[i];
    }
    norm = Math.sqrt(norm) + 1e-6;
    for (int i = 0; i < f.length; i++) {
      f[i] /= (float) norm;
    }
    return f;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
