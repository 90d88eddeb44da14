package org.latentstudio.ui.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortType;

/**
 * The node views, kept in step with the graph: one {@link NodeView} per node, created, updated or dropped as the
 * document's graph changes, touching only the nodes that did change so a big graph stays quick to edit. It also
 * keeps what the last run left on each node, since that is not in the graph but must survive a view being
 * rebuilt.
 */
final class NodeViews {
  private final GraphCanvas canvas;
  private final Map<NodeId, NodeView> views = new LinkedHashMap<>();
  /** For each node, the inputs fed by a wire and a short name of their source. */
  private final Map<NodeId, Map<String, String>> linkedFrom = new HashMap<>();
  private final Map<NodeId, NodeRunState> runStates = new HashMap<>();

  NodeViews(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  Map<NodeId, NodeView> all() {
    return views;
  }

  NodeView get(NodeId id) {
    return views.get(id);
  }

  /** The inputs of a node fed by a wire, each with a short name of its source. */
  Map<String, String> linkedFrom(NodeId id) {
    return linkedFrom.getOrDefault(id, Map.of());
  }

  /** Brings the views in line with {@code g}: new nodes get a view, changed ones are updated, gone ones go. */
  void sync(Graph g) {
    Map<NodeId, Map<String, String>> linked = new HashMap<>();
    for (Link l : g.links()) {
      String from = g.node(l.from().node()).map(NodeViews::shortName).orElse(l.from().node().value());
      linked.computeIfAbsent(l.to().node(), k -> new HashMap<>()).put(l.to().port(), from);
    }
    List<javafx.scene.Node> layer = canvas.nodeLayer().getChildren();
    Set<NodeId> gone = new HashSet<>(views.keySet());
    List<NodeView> added = new ArrayList<>();
    for (Node n : g.nodeList()) {
      gone.remove(n.id());
      NodeView v = views.get(n.id());
      Map<String, String> lf = linked.getOrDefault(n.id(), Map.of());
      if (v == null || !v.node().type().equals(n.type())) {
        if (v != null) {
          layer.remove(v);
        }
        v = createView(g, n);
        views.put(n.id(), v);
        added.add(v);
        v.update(n, lf);
        v.setSelected(canvas.selection().contains(n.id()));
        NodeRunState rs = runStates.get(n.id());
        if (rs != null) {
          v.setRunState(rs);
        }
      } else if (!v.node().equals(n) || !lf.equals(linkedFrom.getOrDefault(n.id(), Map.of()))) {
        v.update(n, lf);
      }
    }
    List<NodeView> removed = new ArrayList<>();
    for (NodeId id : gone) {
      removed.add(views.remove(id));
    }
    if (!removed.isEmpty()) {
      if (removed.size() > 50) {
        Set<NodeView> drop = new HashSet<>(removed);
        layer.removeIf(drop::contains);
      } else {
        layer.removeAll(removed);
      }
    }
    layer.addAll(added);
    linkedFrom.clear();
    linkedFrom.putAll(linked);
  }

  private static String shortName(Node n) {
    return n.title() != null ? n.title() : n.id().value();
  }

  private NodeView createView(Graph g, Node n) {
    Optional<NodeSchema> schema = canvas.catalog().schema(n.type());
    if (schema.isPresent()) {
      return new NodeView(schema.get(), false, n, canvas);
    }
    return new NodeView(placeholderSchema(g, n), true, n, canvas);
  }

  /** A stand-in for a type this studio does not know, with the ports its links use so wires still show. */
  private static NodeSchema placeholderSchema(Graph g, Node n) {
    List<InputSpec> in = new ArrayList<>();
    List<OutputSpec> out = new ArrayList<>();
    Set<String> seenIn = new HashSet<>();
    Set<String> seenOut = new HashSet<>();
    for (Link l : g.links()) {
      if (l.to().node().equals(n.id()) && seenIn.add(l.to().port())) {
        in.add(new InputSpec(l.to().port(), PortType.ANY, null, null, null, null, List.of(), false, true, false,
            null, null));
      }
      if (l.from().node().equals(n.id()) && seenOut.add(l.from().port())) {
        out.add(new OutputSpec(l.from().port(), PortType.ANY, null));
      }
    }
    return new NodeSchema(n.type(), n.type(), "missing", "", in, out, false);
  }

  // ---------------------------------------------------------------- run marks

  void setRunState(NodeId id, NodeRunState state) {
    if (state.phase() == NodeRunState.Phase.IDLE) {
      runStates.remove(id);
    } else {
      runStates.put(id, state);
    }
    NodeView v = views.get(id);
    if (v != null) {
      v.setRunState(state);
    }
  }

  NodeRunState runState(NodeId id) {
    return runStates.getOrDefault(id, NodeRunState.IDLE);
  }

  void clearRunStates() {
    for (NodeId id : new ArrayList<>(runStates.keySet())) {
      setRunState(id, NodeRunState.IDLE);
    }
  }
}
