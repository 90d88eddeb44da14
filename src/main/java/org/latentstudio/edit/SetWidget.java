package org.latentstudio.edit;

import java.util.Objects;
import java.util.Optional;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;

/**
 * Sets one widget value on a node (null removes it, so the default applies). Consecutive values for the same
 * widget merge: dragging a slider or typing a prompt is one undo step.
 */
public record SetWidget(NodeId node, String name, Object value) implements Command {
  public SetWidget {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public Graph apply(Graph graph) {
    Node n = graph.require(node);
    return graph.withNode(n.withWidget(name, value));
  }

  @Override
  public String description() {
    return "Set " + node + "." + name;
  }

  @Override
  public Optional<Command> mergeWith(Command next) {
    if (next instanceof SetWidget s && s.node.equals(node) && s.name.equals(name)) {
      return Optional.of(s);
    }
    return Optional.empty();
  }
}
