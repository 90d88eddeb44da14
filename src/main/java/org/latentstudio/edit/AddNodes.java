package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;

/** Adds nodes, the links that join them (or feed them), and groups: a new node, a paste, a duplicate. */
public record AddNodes(String description, List<Node> nodes, List<Link> links, List<Group> groups)
    implements Command {

  public AddNodes {
    Objects.requireNonNull(description, "description");
    nodes = List.copyOf(nodes);
    links = List.copyOf(links);
    groups = List.copyOf(groups);
  }

  public static AddNodes one(Node node) {
    return new AddNodes("Add " + node.type(), List.of(node), List.of(), List.of());
  }

  @Override
  public Graph apply(Graph graph) {
    for (Node n : nodes) {
      if (graph.contains(n.id())) {
        throw new IllegalArgumentException("the graph already has a node '" + n.id() + "'");
      }
    }
    Graph g = graph.withNodes(nodes);
    for (Link l : links) {
      if (!g.contains(l.from().node()) || !g.contains(l.to().node())) {
        throw new IllegalArgumentException("link " + l + " names a node that is not in the graph");
      }
      g = g.withLink(l);
    }
    if (!groups.isEmpty()) {
      List<Group> all = new ArrayList<>(g.groups());
      all.addAll(groups);
      g = g.withGroups(all);
    }
    return g;
  }
}
