package org.latentstudio.graph;

import java.util.Objects;

/** A titled, coloured frame on the canvas. Nodes inside its bounds move with it. */
public record Group(String title, String color, Rect bounds) {
  public Group {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(bounds, "bounds");
  }

  public Group withBounds(Rect newBounds) {
    return new Group(title, color, newBounds);
  }
}
