package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;

/**
 * Moves nodes and groups by one offset: a drag of the selection, a group with the nodes inside it, an arrow-key
 * nudge. Moves of the same items merge, so a run of nudges undoes at once.
 */
public record MoveItems(Set<NodeId> nodes, Set<Integer> groups, Vec2 delta) implements Command {

  public MoveItems {
    nodes = Set.copyOf(nodes);
    groups = Set.copyOf(groups);
    Objects.requireNonNull(delta, "delta");
  }

  public static MoveItems nodes(Set<NodeId> ids, Vec2 delta) {
    return new MoveItems(ids, Set.of(), delta);
  }

  @Override
  public Graph apply(Graph graph) {
    List<Node> moved = new ArrayList<>(nodes.size());
    for (NodeId id : nodes) {
      Node n = graph.require(id);
      moved.add(n.withPosition(n.position().plus(delta)));
    }
    Graph g = graph.withNodes(moved);
    if (!groups.isEmpty()) {
      List<Group> all = new ArrayList<>(g.groups());
      for (int i : groups) {
        if (i < 0 || i >= all.size()) {
          throw new IllegalArgumentException("there is no group #" + i);
        }
        Group gr = all.get(i);
        all.set(i, gr.withBounds(gr.bounds().translate(delta)));
      }
      g = g.withGroups(all);
    }
    return g;
  }

  @Override
  public String description() {
    if (nodes.isEmpty() && groups.size() == 1) {
      return "Move group";
    }
    return "Move " + Texts.items(nodes.size(), groups.size());
  }

  @Override
  public Optional<Command> mergeWith(Command next) {
    if (next instanceof MoveItems m && m.nodes.equals(nodes) && m.groups.equals(groups)) {
      return Optional.of(new MoveItems(nodes, groups, delta.plus(m.delta)));
    }
    return Optional.empty();
  }
}
