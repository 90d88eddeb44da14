package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.NodeId;

/**
 * Deletes nodes with every link that touches them, and groups (by index; the nodes inside a deleted group
 * stay unless they are named too).
 */
public record RemoveItems(Set<NodeId> nodes, Set<Integer> groups) implements Command {

  public RemoveItems {
    nodes = Set.copyOf(nodes);
    groups = Set.copyOf(new TreeSet<>(groups));
  }

  public static RemoveItems nodes(Set<NodeId> ids) {
    return new RemoveItems(ids, Set.of());
  }

  @Override
  public Graph apply(Graph graph) {
    for (NodeId id : nodes) {
      graph.require(id);
    }
    Graph g = graph.withoutNodes(nodes);
    if (!groups.isEmpty()) {
      List<Group> kept = new ArrayList<>();
      for (int i = 0; i < g.groups().size(); i++) {
        if (!groups.contains(i)) {
          kept.add(g.groups().get(i));
        }
      }
      g = g.withGroups(kept);
    }
    return g;
  }

  @Override
  public String description() {
    return "Delete " + Texts.items(nodes.size(), groups.size());
  }
}
