package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Point2D;
import org.latentstudio.ui.search.NodeSearch;
import org.latentstudio.ui.search.NodeSearchBox;

/**
 * The node search as it pops up on the canvas: at the pointer (double-click, space, a menu) offering every node
 * type, or where a wire was dropped offering only the types that fit it. It keeps the box inside the canvas and
 * gives the keyboard back to the canvas when it closes.
 */
final class SearchPopup {
  private final GraphCanvas canvas;
  private final NodeSearch search = new NodeSearch();
  private final NodeSearchBox box = new NodeSearchBox(search);

  SearchPopup(GraphCanvas canvas) {
    this.canvas = canvas;
    box.setVisible(false);
    box.setManaged(false);
  }

  NodeSearchBox box() {
    return box;
  }

  /** The ranking, which remembers the types used lately. */
  NodeSearch search() {
    return search;
  }

  /** Whether a scene node is part of the open box: the canvas leaves the events on it alone. */
  boolean contains(javafx.scene.Node n) {
    return HitTest.isWithin(n, box);
  }

  /** Offers every node type; the chosen one is added with its corner where the search opened. */
  void open(Point2D screenAt) {
    List<NodeSearchBox.Entry> all = canvas.catalog().schemas().stream()
        .map(s -> new NodeSearchBox.Entry(s, null, null)).toList();
    Point2D worldAt = canvas.screenToWorld(screenAt);
    show(screenAt, "", all, e -> canvas.addNode(e.schema(), worldAt));
  }

  /** Offers these entries at a point of the canvas (screen pixels), clamped to stay inside it. */
  void show(Point2D screenAt, String title, List<NodeSearchBox.Entry> entries, Consumer<NodeSearchBox.Entry> chosen) {
    box.applyCss();
    box.autosize();
    double w = box.prefWidth(-1);
    double h = box.prefHeight(w);
    double x = Math.max(4, Math.min(screenAt.getX(), canvas.getWidth() - w - 4));
    double y = Math.max(4, Math.min(screenAt.getY(), canvas.getHeight() - h - 4));
    box.resizeRelocate(x, y, w, h);
    box.open(title, entries, e -> {
      chosen.accept(e);
      canvas.requestFocus();
    }, () -> {
      canvas.requestRedraw();
      canvas.requestFocus();
    });
  }
}
