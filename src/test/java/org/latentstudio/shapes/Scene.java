package org.latentstudio.shapes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.latentstudio.image.RgbImage;

/**
 * A ground-truth picture from the shapes pack's world, drawn the way its training renderer
 * (src/python/shapes/dataset.py) draws: one shape of a colour, a size and a position on a plain background,
 * supersampled 4× and box-filtered to 64×64.
 */
record Scene(String colour, String shape, String position, String size, String background) {
  static final int SIZE = 64;
  private static final int SUPER = 4;

  static final Map<String, Color> COLOURS = Map.of(
      "red", new Color(220, 30, 30), "green", new Color(30, 170, 50), "blue", new Color(40, 70, 230),
      "yellow", new Color(250, 225, 30), "purple", new Color(150, 50, 200), "orange", new Color(255, 140, 0),
      "white", new Color(255, 255, 255), "black", new Color(0, 0, 0));
  static final Map<String, Color> BACKGROUNDS = Map.of(
      "white", new Color(255, 255, 255), "black", new Color(0, 0, 0), "gray", new Color(128, 128, 128),
      "blue", new Color(40, 70, 230));
  static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "ring");
  static final List<String> POSITIONS = List.of("left", "right", "top", "bottom", "center");
  private static final Map<String, Double> RADIUS = Map.of("small", 11.0, "large", 18.0);
  private static final Map<String, Double> OFFSET = Map.of("small", 17.0, "large", 11.0);

  RgbImage render() {
    double r = RADIUS.get(size);
    double off = OFFSET.get(size);
    double cx = 32 + off * switch (position) {
      case "left" -> -1;
      case "right" -> 1;
      default -> 0;
    };
    double cy = 32 + off * switch (position) {
      case "top" -> -1;
      case "bottom" -> 1;
      default -> 0;
    };
    int big = SIZE * SUPER;
    BufferedImage img = new BufferedImage(big, big, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setColor(BACKGROUNDS.get(background));
    g.fillRect(0, 0, big, big);
    g.scale(SUPER, SUPER);
    g.setColor(COLOURS.get(colour));
    switch (shape) {
      case "circle" -> g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
      case "square" -> g.fill(new Rectangle2D.Double(cx - 0.85 * r, cy - 0.85 * r, 1.7 * r, 1.7 * r));
      case "triangle" -> g.fill(polygon(cx, cy + 0.1 * r, 1.2 * r, 1.2 * r, 3));
      case "star" -> g.fill(polygon(cx, cy + 0.08 * r, 1.2 * r, 0.6 * r, 10));
      case "ring" -> {
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setColor(BACKGROUNDS.get(background));
        g.fill(new Ellipse2D.Double(cx - r / 2, cy - r / 2, r, r));
      }
      default -> throw new IllegalArgumentException(shape);
    }
    g.dispose();
    return boxDownsample(img);
  }

  /** A regular polygon (3 corners) or a star (10 alternating corners), first corner straight up. */
  private static Path2D polygon(double cx, double cy, double outer, double inner, int corners) {
    Path2D p = new Path2D.Double();
    for (int k = 0; k < corners; k++) {
      double a = -Math.PI / 2 + k * 2 * Math.PI / corners;
      double rr = corners == 3 || k % 2 == 0 ? outer : inner;
      if (k == 0) {
        p.moveTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
      } else {
        p.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
      }
    }
    p.closePath();
    return p;
  }

  private static RgbImage boxDownsample(BufferedImage big) {
    byte[] out = new byte[SIZE * SIZE * 3];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int[] sum = new int[3];
        for (int dy = 0; dy < SUPER; dy++) {
          for (int dx = 0; dx < SUPER; dx++) {
            int p = big.getRGB(x * SUPER + dx, y * SUPER + dy);
            sum[0] += (p >> 16) & 0xff;
            sum[1] += (p >> 8) & 0xff;
            sum[2] += p & 0xff;
          }
        }
        for (int k = 0; k < 3; k++) {
          out[(y * SIZE + x) * 3 + k] = (byte) Math.round(sum[k] / (float) (SUPER * SUPER));
        }
      }
    }
    return new RgbImage(SIZE, SIZE, out);
  }

  /** The caption the pack was trained on. */
  String caption() {
    String where = switch (position) {
      case "left" -> "on the left";
      case "right" -> "on the right";
      case "top" -> "at the top";
      case "bottom" -> "at the bottom";
      default -> "in the center";
    };
    return "a " + size + " " + colour + " " + shape + " " + where + ", " + background + " background";
  }
}
