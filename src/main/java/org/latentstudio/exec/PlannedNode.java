package org.latentstudio.exec;

import java.util.Map;
import org.latentstudio.graph.NodeId;

/** A node as the executor will run it: its type and where each of its inputs comes from. */
public record PlannedNode(NodeId id, String typeId, NodeType type, Map<String, InputSource> inputs,
    Map<String, Object> literals) {
  public PlannedNode {
    inputs = Map.copyOf(inputs);
    literals = Map.copyOf(literals);
  }
}
