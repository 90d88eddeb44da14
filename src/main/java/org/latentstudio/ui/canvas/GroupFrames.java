package org.latentstudio.ui.canvas;

import javafx.geometry.Bounds;
import org.latentstudio.graph.Rect;

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
}
