package org.latentstudio.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Vec2;

/** Builds graphs for tests in a few readable lines. */
public final class GraphBuilder {
  private Graph graph = Graph.empty();

  public GraphBuilder node(String id, String type, Object... widgetPairs) {
    Map<String, Object> widgets = new LinkedHashMap<>();
    for (int i = 0; i < widgetPairs.length; i += 2) {
      Object v = widgetPairs[i + 1];
      widgets.put((String) widgetPairs[i], v instanceof Integer n ? Long.valueOf(n) : v);
    }
    graph = graph.withNode(new Node(NodeId.of(id), type, null, widgets, Vec2.ZERO, Node.DEFAULT_SIZE,
        NodeMode.NORMAL));
    return this;
  }

  /** Links {@code "a.OUT"} to {@code "b.in"}. */
  public GraphBuilder link(String from, String to) {
    String[] f = from.split("\\.", 2);
    String[] t = to.split("\\.", 2);
    graph = graph.withLink(Link.of(f[0], f[1], t[0], t[1]));
    return this;
  }

  public GraphBuilder mode(String id, NodeMode mode) {
    graph = graph.withNode(graph.require(NodeId.of(id)).withMode(mode));
    return this;
  }

  public Graph build() {
    return graph;
  }
}
