package org.latentstudio.ui.canvas;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseEvent;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.latentstudio.ui.widgets.WidgetView;

/**
 * What lies where on the canvas: the port, node, group or wire under a point, the nodes a group frames and how
 * far the content reaches. The wires are painted, not scene nodes, so they (and ports whose dots are hidden at a
 * low level of detail) are found by geometry here rather than by JavaFX picking; tolerances are in screen pixels
 * so they feel the same at every zoom.
 */
final class HitTest {
  private static final double PORT_HIT_RADIUS = 12;

  enum GroupPart { TITLE, RESIZE, BODY }

  record GroupHit(int index, GroupPart part) {}

  private final GraphCanvas canvas;

  HitTest(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  /** The port dot nearest to a canvas point, within a few pixels on screen. */
  PortHandle portAt(Point2D worldPt) {
    double r = PORT_HIT_RADIUS / canvas.zoom();
    PortHandle best = null;
    double bestD = r * r;
    for (NodeView v : canvas.views().values()) {
      double x = v.getLayoutX() + v.getTranslateX();
      double y = v.getLayoutY() + v.getTranslateY();
      if (worldPt.getX() < x - r || worldPt.getX() > x + v.nodeWidth() + r || worldPt.getY() < y - r
          || worldPt.getY() > y + v.nodeHeight() + r) {
        continue;
      }
      for (PortHandle h : v.portHandles()) {
        Point2D p = v.portPosition(h.port(), h.input());
        double dx = p.getX() - worldPt.getX();
        double dy = p.getY() - worldPt.getY();
        double d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = h;
        }
      }
    }
    return best;
  }

  /** The topmost node under a canvas point. */
  NodeView nodeAt(Point2D worldPt) {
    NodeView hit = null;
    for (javafx.scene.Node child : canvas.nodeLayer().getChildren()) {
      if (child instanceof NodeView v) {
        double x = v.getLayoutX() + v.getTranslateX();
        double y = v.getLayoutY() + v.getTranslateY();
        if (worldPt.getX() >= x && worldPt.getX() <= x + v.nodeWidth() && worldPt.getY() >= y
            && worldPt.getY() <= y + v.nodeHeight()) {
          hit = v;
        }
      }
    }
    return hit;
  }

  /** The topmost group under a canvas point, and which part of its frame. */
  GroupHit groupAt(Point2D worldPt) {
    Graph shown = canvas.graph();
    for (int i = shown.groups().size() - 1; i >= 0; i--) {
      Rect r = shown.groups().get(i).bounds();
      if (!r.contains(new Vec2(worldPt.getX(), worldPt.getY()))) {
        continue;
      }
      double corner = 16 / Math.min(1, canvas.zoom());
      if (worldPt.getX() > r.x() + r.width() - corner && worldPt.getY() > r.y() + r.height() - corner) {
        return new GroupHit(i, GroupPart.RESIZE);
      }
      if (worldPt.getY() <= r.y() + GroupFrames.TITLE_H) {
        return new GroupHit(i, GroupPart.TITLE);
      }
      return new GroupHit(i, GroupPart.BODY);
    }
    return null;
  }

  /** The wire passing within a few pixels of a canvas point. */
  Link wireAt(Point2D worldPt) {
    double tol = 6 / canvas.zoom();
    return firstWire((a, b) -> {
      double dx = WireCurve.handle(a, b);
      if (worldPt.getX() < Math.min(a.getX(), b.getX()) - tol || worldPt.getX() > Math.max(a.getX() + dx, b.getX()) + tol
          || worldPt.getY() < Math.min(a.getY(), b.getY()) - tol || worldPt.getY() > Math.max(a.getY(), b.getY()) + tol) {
        return false;
      }
      Point2D prev = a;
      for (int i = 1; i <= 32; i++) {
        Point2D p = WireCurve.at(a, b, dx, i / 32.0);
        if (WireCurve.distanceToSegment(worldPt, prev, p) <= tol) {
          return true;
        }
        prev = p;
      }
      return false;
    });
  }

  /** The wire whose middle dot is under a canvas point: a click there opens the wire's menu. */
  Link wireMidpointAt(Point2D worldPt) {
    double tol = 7 / canvas.zoom();
    return firstWire((a, b) -> WireCurve.at(a, b, WireCurve.handle(a, b), 0.5).distance(worldPt) <= tol);
  }

  /** A test on a drawn wire, given its output end {@code a} and input end {@code b}. */
  private interface WireTest {
    boolean hits(Point2D a, Point2D b);
  }

  /** The first drawn wire that passes the test, or null. */
  private Link firstWire(WireTest test) {
    Map<NodeId, NodeView> views = canvas.views();
    for (Link l : canvas.graph().links()) {
      NodeView from = views.get(l.from().node());
      NodeView to = views.get(l.to().node());
      if (from != null && to != null
          && test.hits(from.portPosition(l.from().port(), false), to.portPosition(l.to().port(), true))) {
        return l;
      }
    }
    return null;
  }

  /** The nodes a group frames: those whose title bar has its middle inside the frame. */
  Set<NodeId> nodesInGroup(int index) {
    Rect r = canvas.graph().groups().get(index).bounds();
    Set<NodeId> inside = new LinkedHashSet<>();
    for (NodeView v : canvas.views().values()) {
      double cx = v.getLayoutX() + v.nodeWidth() / 2;
      double cy = v.getLayoutY() + Math.min(v.nodeHeight(), 60) / 2;
      if (r.contains(new Vec2(cx, cy))) {
        inside.add(v.node().id());
      }
    }
    return inside;
  }

  /** The box around every node and group, or around the selected nodes only; null when there are none. */
  Bounds contentBounds(boolean selectedOnly) {
    Extent e = new Extent();
    Set<NodeId> selection = canvas.selection();
    for (NodeView v : canvas.views().values()) {
      if (!selectedOnly || selection.contains(v.node().id())) {
        e.add(v);
      }
    }
    if (!selectedOnly) {
      for (Group g : canvas.graph().groups()) {
        Rect r = g.bounds();
        e.add(r.x(), r.y(), r.x() + r.width(), r.y() + r.height());
      }
    }
    return e.bounds();
  }

  /** The box around these nodes; null when there are none. */
  Bounds nodeBounds(Collection<NodeId> ids) {
    Extent e = new Extent();
    for (NodeId id : ids) {
      e.add(canvas.views().get(id));
    }
    return e.bounds();
  }

  static boolean overlaps(Rect a, Rect b) {
    return a.x() < b.x() + b.width() && a.x() + a.width() > b.x() && a.y() < b.y() + b.height()
        && a.y() + a.height() > b.y();
  }

  // ---------------------------------------------------------------- scene-graph picking

  /** What was pressed in the scene graph: a port dot, a part of a node, a widget, a node, or nothing. */
  static Object pickedRole(MouseEvent e) {
    javafx.scene.Node n = e.getPickResult().getIntersectedNode();
    while (n != null) {
      if (n.getUserData() instanceof PortHandle ph) {
        return ph;
      }
      if (n.getUserData() instanceof NodeView.Role role) {
        return role;
      }
      if (n instanceof WidgetView) {
        return n;
      }
      if (n instanceof NodeView v) {
        return v.onTitle(v.sceneToLocal(e.getSceneX(), e.getSceneY()).getY()) ? NodeView.Role.TITLE : v;
      }
      if (n instanceof GraphCanvas) {
        return null;
      }
      n = n.getParent();
    }
    return null;
  }

  /** The node view a picked scene node belongs to, or null. */
  static NodeView owningView(javafx.scene.Node picked) {
    javafx.scene.Node n = picked;
    while (n != null && !(n instanceof NodeView)) {
      n = n.getParent();
    }
    return (NodeView) n;
  }

  static boolean isWithin(javafx.scene.Node n, javafx.scene.Node ancestor) {
    for (; n != null; n = n.getParent()) {
      if (n == ancestor) {
        return true;
      }
    }
    return false;
  }

  /** A growing box. */
  private static final class Extent {
    private double minX = Double.POSITIVE_INFINITY;
    private double minY = Double.POSITIVE_INFINITY;
    private double maxX = Double.NEGATIVE_INFINITY;
    private double maxY = Double.NEGATIVE_INFINITY;

    void add(NodeView v) {
      add(v.getLayoutX(), v.getLayoutY(), v.getLayoutX() + v.nodeWidth(), v.getLayoutY() + v.nodeHeight());
    }

    void add(double x0, double y0, double x1, double y1) {
      minX = Math.min(minX, x0);
      minY = Math.min(minY, y0);
      maxX = Math.max(maxX, x1);
      maxY = Math.max(maxY, y1);
    }

    Bounds bounds() {
      return Double.isInfinite(minX) ? null : new BoundingBox(minX, minY, maxX - minX, maxY - minY);
    }
  }
}
