package org.latentstudio.ui.canvas;

import java.util.List;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Rect;
import org.latentstudio.ui.Palette;

/**
 * The bottom layer of the canvas: one bitmap with the grid, the group frames and the wires, under the node
 * views. Painting it is the costly part of a frame, so it is painted at most once per pulse (after events and
 * animations, before layout), only over what is in view, and larger than the view by an overscan margin on
 * every side: a pan then only moves the picture already painted, until it leaves that margin.
 */
final class BackLayer {
  private final GraphCanvas canvas;
  private final Canvas back = new Canvas();
  private final WirePainter wires;
  private boolean redrawPending;
  /** Paints once per pulse, after animations and events and before layout and rendering. */
  private final Runnable painter = () -> {
    if (redrawPending) {
      redrawPending = false;
      paint();
    }
  };

  private double overscanX;
  private double overscanY;
  private double paintedPanX;
  private double paintedPanY;
  private double paintedZoom = -1;

  BackLayer(GraphCanvas canvas) {
    this.canvas = canvas;
    this.wires = new WirePainter(canvas);
    canvas.sceneProperty().addListener((o, was, is) -> {
      if (was != null) {
        was.removePreLayoutPulseListener(painter);
      }
      if (is != null) {
        is.addPreLayoutPulseListener(painter);
        requestRedraw();
      }
    });
  }

  /** The bitmap, for the canvas's children. */
  Canvas canvasNode() {
    return back;
  }

  void requestRedraw() {
    if (!redrawPending) {
      redrawPending = true;
      Platform.requestNextPulse();
    }
  }

  /** The graph or its node views changed. */
  void graphChanged() {
    wires.graphChanged();
  }

  /** After a pan or zoom: moves the painted picture if it still covers the view, else paints again. */
  void viewMoved() {
    if (canvas.zoom() != paintedZoom || !shiftPainted()) {
      requestRedraw();
    }
  }

  private boolean shiftPainted() {
    if (redrawPending || paintedZoom < 0) {
      return false;
    }
    Viewport viewport = canvas.viewport();
    double dx = viewport.panX() - paintedPanX;
    double dy = viewport.panY() - paintedPanY;
    if (Math.abs(dx) > overscanX || Math.abs(dy) > overscanY) {
      return false;
    }
    back.setTranslateX(-overscanX + dx);
    back.setTranslateY(-overscanY + dy);
    return true;
  }

  /** Paints grid, groups and wires now, over the view and its overscan margin. */
  void paint() {
    Viewport viewport = canvas.viewport();
    double vw = canvas.getWidth();
    double vh = canvas.getHeight();
    overscanX = Math.round(Math.max(120, vw * 0.25));
    overscanY = Math.round(Math.max(120, vh * 0.25));
    double w = vw + 2 * overscanX;
    double h = vh + 2 * overscanY;
    if (back.getWidth() != w || back.getHeight() != h) {
      back.setWidth(w);
      back.setHeight(h);
    }
    back.setTranslateX(-overscanX);
    back.setTranslateY(-overscanY);
    paintedPanX = viewport.panX();
    paintedPanY = viewport.panY();
    paintedZoom = viewport.zoom();
    GraphicsContext g = back.getGraphicsContext2D();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.setFill(Palette.CANVAS);
    g.fillRect(0, 0, w, h);
    double ox = viewport.panX() + overscanX;
    double oy = viewport.panY() + overscanY;
    double z = viewport.zoom();
    GridPainter.paint(g, w, h, ox, oy, z);
    g.setTransform(z, 0, 0, z, ox, oy);
    Point2D tl = viewport.toWorld(new Point2D(-overscanX, -overscanY));
    Point2D br = viewport.toWorld(new Point2D(vw + overscanX, vh + overscanY));
    Rect view = new Rect(tl.getX(), tl.getY(), br.getX() - tl.getX(), br.getY() - tl.getY());
    Gesture gesture = canvas.gesture();
    List<Group> groups = canvas.graph().groups();
    GroupFrames.paint(g, groups, view, z, canvas.selectedGroups(),
        i -> gesture == null ? groups.get(i).bounds() : gesture.groupBounds(i, groups.get(i).bounds()));
    Link hidden = gesture == null ? null : gesture.hiddenLink();
    wires.paint(g, view, hidden);
    if (gesture != null) {
      gesture.paintOver(g);
    }
  }
}
