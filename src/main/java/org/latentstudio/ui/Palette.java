package org.latentstudio.ui;

import java.util.EnumMap;
import java.util.Map;
import javafx.scene.paint.Color;
import org.latentstudio.graph.PortType;

/**
 * The colours the canvas paints itself (grid, wires, ports), matching the AtlantaFX Primer Dark theme that the
 * controls use, and the type palette: one colour per port type, the same on ports, wires, the library and the
 * search list.
 */
public final class Palette {
  private Palette() {}

  public static final Color CANVAS = Color.web("#0d1117");
  public static final Color GRID_MINOR = Color.web("#161b22");
  public static final Color GRID_MAJOR = Color.web("#21262d");
  public static final Color FG = Color.web("#c9d1d9");
  public static final Color FG_MUTED = Color.web("#8b949e");
  public static final Color ACCENT = Color.web("#58a6ff");
  public static final Color DANGER = Color.web("#f85149");
  public static final Color SUCCESS = Color.web("#3fb950");
  public static final Color SELECTION = Color.web("#58a6ff");
  public static final Color SELECTION_FILL = Color.web("#388bfd", 0.12);

  /** Group colours offered in the menu; the first is the default. */
  public static final Map<String, String> GROUP_COLORS = Map.of(
      "Blue", "#3f5f8a", "Green", "#3f7a4f", "Purple", "#6a4f8a", "Red", "#8a3f45",
      "Orange", "#8a613f", "Teal", "#3f7a7a", "Grey", "#4f5661");

  public static final String DEFAULT_GROUP_COLOR = "#3f5f8a";

  private static final Map<PortType, Color> TYPES = new EnumMap<>(PortType.class);

  static {
    TYPES.put(PortType.MODEL, Color.web("#b39ddb"));
    TYPES.put(PortType.CLIP, Color.web("#ffd54f"));
    TYPES.put(PortType.VAE, Color.web("#ef5350"));
    TYPES.put(PortType.CONDITIONING, Color.web("#ffa726"));
    TYPES.put(PortType.LATENT, Color.web("#f48fb1"));
    TYPES.put(PortType.IMAGE, Color.web("#64b5f6"));
    TYPES.put(PortType.MASK, Color.web("#81c784"));
    TYPES.put(PortType.CONTROL_NET, Color.web("#4db6ac"));
    TYPES.put(PortType.IP_ADAPTER, Color.web("#a1887f"));
    TYPES.put(PortType.CLIP_VISION, Color.web("#fff59d"));
    TYPES.put(PortType.INT, Color.web("#9ccc65"));
    TYPES.put(PortType.FLOAT, Color.web("#80deea"));
    TYPES.put(PortType.STRING, Color.web("#e6a6d9"));
    TYPES.put(PortType.BOOLEAN, Color.web("#7986cb"));
    TYPES.put(PortType.ANY, Color.web("#bdbdbd"));
  }

  public static Color of(PortType type) {
    return TYPES.getOrDefault(type, Color.GRAY);
  }

  /** CSS form, for styles set inline. */
  public static String css(Color c) {
    return String.format("#%02x%02x%02x", (int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255),
        (int) Math.round(c.getBlue() * 255));
  }
}
