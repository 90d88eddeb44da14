package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import javafx.geometry.Bounds;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Rect;
import org.latentstudio.ui.Palette;

/**
 * What a group frame looks like: a tinted body, a title bar {@link #TITLE_H} high and a resize corner. Painting,
 * hit testing and the commands that frame nodes all take the frame's measures from here.
 */
final class GroupFrames {
  static final double TITLE_H = 30;
  private static final double PAD = 20;

  private GroupFrames() {}

  /** A frame around content (canvas units) with a margin and room for the title bar. */
  static Rect around(Bounds content) {
    return new Rect(content.getMinX() - PAD, content.getMinY() - PAD - TITLE_H, content.getWidth() + 2 * PAD,
        content.getHeight() + 2 * PAD + TITLE_H);
  }

  /**
   * Paints the groups that reach into {@code view}, in canvas units.
   *
   * @param shownBounds where each group shows now: a drag may be moving or resizing it
   */
  static void paint(GraphicsContext g, List<Group> groups, Rect view, double zoom, Set<Integer> selected,
      IntFunction<Rect> shownBounds) {
    Font titleFont = Font.font(null, FontWeight.BOLD, 14);
    for (int i = 0; i < groups.size(); i++) {
      Group gr = groups.get(i);
      Rect r = shownBounds.apply(i);
      if (!HitTest.overlaps(r, view)) {
        continue;
      }
      Color c = safeColor(gr.color());
      g.setFill(c.deriveColor(0, 1, 1, 0.22));
      g.fillRoundRect(r.x(), r.y(), r.width(), r.height(), 10, 10);
      g.setFill(c.deriveColor(0, 1, 1, 0.75));
      g.fillRoundRect(r.x(), r.y(), r.width(), TITLE_H, 10, 10);
      g.fillRect(r.x(), r.y() + TITLE_H - 6, r.width(), 6);
      g.setStroke(selected.contains(i) ? Palette.SELECTION : c.deriveColor(0, 1, 1.2, 0.9));
      g.setLineWidth(selected.contains(i) ? 2 / zoom : 1 / zoom);
      g.strokeRoundRect(r.x(), r.y(), r.width(), r.height(), 10, 10);
      g.setFill(Color.WHITE);
      g.setFont(titleFont);
      g.setTextBaseline(VPos.CENTER);
      g.fillText(gr.title(), r.x() + 10, r.y() + TITLE_H / 2, Math.max(10, r.width() - 20));
      // resize corner
      g.setFill(c.deriveColor(0, 1, 1.4, 0.9));
      double s = 12;
      g.fillPolygon(new double[] {r.x() + r.width(), r.x() + r.width(), r.x() + r.width() - s},
          new double[] {r.y() + r.height() - s, r.y() + r.height(), r.y() + r.height()}, 3);
    }
  }

  private static Color safeColor(String css) {
    try {
      return Color.web(css);
    } catch (IllegalArgumentException e) {
      return Color.web(Palette.DEFAULT_GROUP_COLOR);
    }
  }
}
