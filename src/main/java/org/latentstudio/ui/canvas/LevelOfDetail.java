package org.latentstudio.ui.canvas;

import javafx.geometry.Point2D;

/**
 * Decides which node views show their ports and widgets. Those are most of a node's scene nodes, so a big graph
 * zoomed out shows only frames and titles (as ComfyUI's low-quality mode does), and nodes get their detail as
 * they come into view. Nodes that leave the view keep theirs, so panning back costs nothing; the threshold has
 * some hysteresis so a zoom hovering around it does not rebuild every node.
 */
final class LevelOfDetail {
  /** Zoomed out further than this, nodes show only their frame and title. */
  static final double DETAIL_ZOOM = 0.5;

  /** Graphs up to this many nodes always show full detail. */
  static final int SMALL_GRAPH = 80;

  private final GraphCanvas canvas;
  private boolean detailWanted;

  LevelOfDetail(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  /** Gives the nodes in (or near) the view their detail, or takes it from every node when zoomed out. */
  void update() {
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    if (w <= 0 || h <= 0) {
      return;
    }
    double z = canvas.zoom();
    // a small graph is cheap at any zoom: it keeps its detail, so its structure stays readable when fitted
    detailWanted = canvas.views().size() <= SMALL_GRAPH || z >= (detailWanted ? DETAIL_ZOOM * 0.9 : DETAIL_ZOOM);
    double margin = 150 / z;
    Point2D tl = canvas.screenToWorld(Point2D.ZERO);
    Point2D br = canvas.screenToWorld(new Point2D(w, h));
    for (NodeView v : canvas.views().values()) {
      if (!detailWanted) {
        v.setDetailed(false);
        continue;
      }
      if (v.isDetailed()) {
        continue;
      }
      double x = v.getLayoutX();
      double y = v.getLayoutY();
      if (x + v.nodeWidth() >= tl.getX() - margin && x <= br.getX() + margin && y + v.nodeHeight() >= tl.getY() - margin
          && y <= br.getY() + margin) {
        v.setDetailed(true);
      }
    }
  }
}
