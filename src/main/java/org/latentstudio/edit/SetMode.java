package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;

/** Mutes, bypasses or restores nodes. */
public record SetMode(Set<NodeId> nodes, NodeMode mode) implements Command {
  public SetMode {
    nodes = Set.copyOf(nodes);
    Objects.requireNonNull(mode, "mode");
  }

  /**
   * The toggle the menu and shortcut perform: if every node already has the mode, they go back to normal;
   * otherwise all get it.
   */
  public static SetMode toggle(Graph graph, Set<NodeId> ids, NodeMode mode) {
    boolean all = !ids.isEmpty() && ids.stream().allMatch(id -> graph.require(id).mode() == mode);
    return new SetMode(ids, all ? NodeMode.NORMAL : mode);
  }

  @Override
  public Graph apply(Graph graph) {
    List<Node> changed = new ArrayList<>();
    for (NodeId id : nodes) {
      changed.add(graph.require(id).withMode(mode));
    }
    return graph.withNodes(changed);
  }

  @Override
  public String description() {
    String verb = switch (mode) {
      case NORMAL -> "Unmute";
      case MUTED -> "Mute";
      case BYPASSED -> "Bypass";
    };
    return verb + " " + Texts.count(nodes.size(), "node");
  }
}
