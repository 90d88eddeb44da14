package org.latentstudio.edit;

import java.util.Objects;
import java.util.Optional;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;

/** Gives a node a new size; resizes of the same node merge. */
public record ResizeNode(NodeId node, Vec2 size) implements Command {
  public ResizeNode {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(size, "size");
  }

  @Override
  public Graph apply(Graph graph) {
    return graph.withNode(graph.require(node).withSize(size));
  }

  @Override
  public String description() {
    return "Resize " + node;
  }

  @Override
  public Optional<Command> mergeWith(Command next) {
    return next instanceof ResizeNode r && r.node.equals(node) ? Optional.of(r) : Optional.empty();
  }
}
