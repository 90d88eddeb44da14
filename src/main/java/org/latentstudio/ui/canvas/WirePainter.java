package org.latentstudio.ui.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.Rect;
import org.latentstudio.ui.Palette;

/**
 * The wires between nodes, painted onto the back layer. With hundreds of wires the cost is in the software
 * renderer, so this does as little per frame as it can: what each wire looks like (its colour from the type it
 * carries, dimmed for a muted end, red and dashed where the types do not fit) is worked out once per graph
 * change, and the wires in view are batched by style so that each colour is one stroked path.
 */
final class WirePainter {
  /** How one batch of wires is stroked. */
  private record WireStyle(Color color, boolean hot, boolean dashed) {}

  /** What a wire looks like, worked out once per graph change rather than every frame. */
  private record WireInfo(Link link, NodeView from, NodeView to, Color color, boolean dashed) {}

  private final GraphCanvas canvas;
  private List<WireInfo> wires;

  WirePainter(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  /** The graph or its node views changed: the looks are worked out again on the next paint. */
  void graphChanged() {
    wires = null;
  }

  private List<WireInfo> wires() {
    if (wires == null) {
      Graph shown = canvas.graph();
      Map<NodeId, NodeView> views = canvas.views();
      List<WireInfo> out = new ArrayList<>(shown.links().size());
      Map<PortRef, PortType> types = new HashMap<>();
      for (Link l : shown.links()) {
        NodeView from = views.get(l.from().node());
        NodeView to = views.get(l.to().node());
        if (from == null || to == null) {
          continue;
        }
        PortType type = types.computeIfAbsent(l.from(), p -> canvas.validator().outputType(shown, p));
        boolean valid = inputType(shown, l.to()).accepts(type);
        boolean dim = from.node().mode() != NodeMode.NORMAL || to.node().mode() != NodeMode.NORMAL;
        Color c = valid ? Palette.of(type) : Palette.DANGER;
        out.add(new WireInfo(l, from, to, dim ? c.deriveColor(0, 1, 1, 0.35) : c, !valid));
      }
      wires = out;
    }
    return wires;
  }

  private PortType inputType(Graph shown, PortRef input) {
    return shown.node(input.node()).flatMap(n -> canvas.catalog().schema(n.type())).flatMap(s -> s.input(input.port()))
        .map(InputSpec::type).orElse(PortType.ANY);
  }

  /**
   * Paints the wires that reach into {@code view} (canvas units), those touching a selected node thicker.
   *
   * @param hidden a wire not to draw (one being dragged away), or null
   */
  void paint(GraphicsContext g, Rect view, Link hidden) {
    double z = canvas.zoom();
    Set<NodeId> selection = canvas.selection();
    // many wires far out are drawn as three straight pieces: indistinguishable from curves at that size
    boolean lowDetail = z < LevelOfDetail.DETAIL_ZOOM && canvas.graph().links().size() > 150;
    Map<WireStyle, List<double[]>> batches = new LinkedHashMap<>();
    for (WireInfo wi : wires()) {
      Link l = wi.link();
      if (l.equals(hidden)) {
        continue;
      }
      Point2D a = wi.from().portPosition(l.from().port(), false);
      Point2D b = wi.to().portPosition(l.to().port(), true);
      double dx = WireCurve.handle(a, b);
      double minX = Math.min(a.getX(), b.getX()) - 10;
      double maxX = Math.max(a.getX() + dx, b.getX()) + 10;
      double minY = Math.min(a.getY(), b.getY()) - 10;
      double maxY = Math.max(a.getY(), b.getY()) + 10;
      if (maxX < view.x() || minX > view.x() + view.width() || maxY < view.y() || minY > view.y() + view.height()) {
        continue;
      }
      boolean hot = !selection.isEmpty() && (selection.contains(l.from().node()) || selection.contains(l.to().node()));
      batches.computeIfAbsent(new WireStyle(wi.color(), hot, wi.dashed()), k -> new ArrayList<>())
          .add(new double[] {a.getX(), a.getY(), b.getX(), b.getY(), dx});
    }
    double width = 2.5 * Math.max(1, 0.6 / z);
    for (Map.Entry<WireStyle, List<double[]>> e : batches.entrySet()) {
      WireStyle st = e.getKey();
      g.setStroke(st.color());
      g.setLineWidth(st.hot() ? width * 1.4 : width);
      g.setLineDashes(st.dashed() ? new double[] {6, 4} : null);
      g.beginPath();
      for (double[] w : e.getValue()) {
        g.moveTo(w[0], w[1]);
        if (lowDetail) {
          g.lineTo(w[0] + w[4] * 0.5, w[1]);
          g.lineTo(w[2] - w[4] * 0.5, w[3]);
          g.lineTo(w[2], w[3]);
        } else {
          g.bezierCurveTo(w[0] + w[4], w[1], w[2] - w[4], w[3], w[2], w[3]);
        }
      }
      g.stroke();
      if (z > 0.45) {
        g.setFill(st.color());
        for (double[] w : e.getValue()) {
          Point2D m = WireCurve.at(new Point2D(w[0], w[1]), new Point2D(w[2], w[3]), w[4], 0.5);
          g.fillOval(m.getX() - 3.5, m.getY() - 3.5, 7, 7);
        }
      }
    }
    g.setLineDashes(null);
  }
}
