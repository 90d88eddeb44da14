package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;

/**
 * A piece of a graph for the clipboard: the chosen nodes, the links between them, the chosen groups, and
 * separately the links that fed them from outside (kept only by "paste with connections").
 *
 * @param graph    a graph of its own: every link in it joins two of its nodes
 * @param incoming links from nodes outside the piece into it
 */
public record Fragment(Graph graph, List<Link> incoming) {
  public Fragment {
    Objects.requireNonNull(graph, "graph");
    incoming = List.copyOf(incoming);
  }

  public boolean isEmpty() {
    return graph.nodes().isEmpty() && graph.groups().isEmpty();
  }

  /** Copies the nodes (in graph order) and groups out of a graph. */
  public static Fragment copy(Graph source, Set<NodeId> nodes, Set<Integer> groups) {
    Map<NodeId, Node> picked = new LinkedHashMap<>();
    for (Node n : source.nodeList()) {
      if (nodes.contains(n.id())) {
        picked.put(n.id(), n);
      }
    }
    List<Link> inside = new ArrayList<>();
    List<Link> incoming = new ArrayList<>();
    for (Link l : source.links()) {
      if (picked.containsKey(l.to().node())) {
        if (picked.containsKey(l.from().node())) {
          inside.add(l);
        } else {
          incoming.add(l);
        }
      }
    }
    List<Group> pickedGroups = new ArrayList<>();
    for (int i = 0; i < source.groups().size(); i++) {
      if (groups.contains(i)) {
        pickedGroups.add(source.groups().get(i));
      }
    }
    return new Fragment(new Graph(picked, inside, pickedGroups), incoming);
  }

  /** The top-left corner of everything in the piece. */
  public Vec2 origin() {
    double x = Double.POSITIVE_INFINITY;
    double y = Double.POSITIVE_INFINITY;
    for (Node n : graph.nodeList()) {
      x = Math.min(x, n.position().x());
      y = Math.min(y, n.position().y());
    }
    for (Group g : graph.groups()) {
      x = Math.min(x, g.bounds().x());
      y = Math.min(y, g.bounds().y());
    }
    return Double.isInfinite(x) ? Vec2.ZERO : new Vec2(x, y);
  }

  /**
   * The command that puts this piece into {@code target} with its top-left corner at {@code at}. Ids that are
   * taken get fresh ones ("sampler" becomes "sampler_2"); links follow the renamed nodes.
   *
   * @param keepIncoming also keep the links that fed the piece from outside, where their source still exists
   */
  public AddNodes pasteInto(Graph target, Vec2 at, boolean keepIncoming, String description) {
    Vec2 delta = at.minus(origin());
    Map<NodeId, NodeId> rename = new HashMap<>();
    Set<NodeId> taken = new HashSet<>(target.nodes().keySet());
    List<Node> nodes = new ArrayList<>();
    for (Node n : graph.nodeList()) {
      NodeId id = freshId(n.id(), taken);
      taken.add(id);
      rename.put(n.id(), id);
      nodes.add(n.withId(id).withPosition(n.position().plus(delta)));
    }
    List<Link> links = new ArrayList<>();
    Set<PortRef> fed = new HashSet<>();
    for (Link l : graph.links()) {
      PortRef to = new PortRef(rename.get(l.to().node()), l.to().port());
      links.add(new Link(new PortRef(rename.get(l.from().node()), l.from().port()), to));
      fed.add(to);
    }
    if (keepIncoming) {
      for (Link l : incoming) {
        NodeId renamed = rename.get(l.to().node());
        PortRef to = renamed == null ? null : new PortRef(renamed, l.to().port());
        if (to != null && !fed.contains(to) && target.contains(l.from().node())) {
          links.add(new Link(l.from(), to));
          fed.add(to);
        }
      }
    }
    List<Group> groups = new ArrayList<>();
    for (Group g : graph.groups()) {
      Rect b = g.bounds();
      groups.add(g.withBounds(b.translate(delta)));
    }
    return new AddNodes(description, nodes, links, groups);
  }

  /** The id itself when free, else the same stem with the next free number: "sampler_3" becomes "sampler_4". */
  static NodeId freshId(NodeId wanted, Set<NodeId> taken) {
    if (!taken.contains(wanted)) {
      return wanted;
    }
    String stem = wanted.value().replaceFirst("_\\d+$", "");
    for (int i = 2; ; i++) {
      NodeId candidate = NodeId.of(stem + "_" + i);
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }
}
