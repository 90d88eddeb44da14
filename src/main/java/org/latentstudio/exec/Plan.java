package org.latentstudio.exec;

import java.util.List;
import java.util.Set;
import org.latentstudio.graph.NodeId;

/** The nodes a run needs, in an order where every node comes after its sources, and the goal nodes. */
public record Plan(List<PlannedNode> order, Set<NodeId> goals) {
  public Plan {
    order = List.copyOf(order);
    goals = Set.copyOf(goals);
  }
}
