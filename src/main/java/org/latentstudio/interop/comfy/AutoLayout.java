package org.latentstudio.interop.comfy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;

/**
 * Places the nodes of a graph that came without positions (an API prompt): one column per distance from the
 * nodes that have no inputs, top to bottom in the graph's order, each node as tall as its values need.
 */
final class AutoLayout {
  private static final double COLUMN = 360;
  private static final double WIDTH = 300;
  private static final double GAP = 30;

  private AutoLayout() {}

  static Graph arrange(Graph g) {
    Map<NodeId, Integer> depth = new HashMap<>();
    for (int pass = 0; pass <= g.nodes().size(); pass++) {
      boolean changed = false;
      for (Link l : g.links()) {
        int d = depth.getOrDefault(l.from().node(), 0) + 1;
        if (g.contains(l.to().node()) && d > depth.getOrDefault(l.to().node(), 0) && d <= g.nodes().size()) {
          depth.put(l.to().node(), d);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    Map<Integer, Double> columnY = new HashMap<>();
    Map<NodeId, Node> placed = new LinkedHashMap<>();
    for (Node n : g.nodeList()) {
      int d = depth.getOrDefault(n.id(), 0);
      double y = columnY.getOrDefault(d, 40.0);
      double h = height(n, g.linksInto(n.id()).size());
      placed.put(n.id(), n.withPosition(new Vec2(40 + d * COLUMN, y)).withSize(new Vec2(WIDTH, h)));
      columnY.put(d, y + h + GAP);
    }
    return new Graph(placed, g.links(), g.groups());
  }

  private static double height(Node n, int linked) {
    double h = 40 + 24.0 * linked;
    for (var e : n.widgets().entrySet()) {
      boolean longText = e.getValue() instanceof String s && (s.length() > 30 || e.getKey().equals("text"));
      h += longText ? 110 : 28;
    }
    return Math.min(h, 600);
  }
}
