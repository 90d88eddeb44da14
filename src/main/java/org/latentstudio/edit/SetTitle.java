package org.latentstudio.edit;

import java.util.Objects;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;

/** Renames a node on the canvas; a blank title goes back to the type's name. */
public record SetTitle(NodeId node, String title) implements Command {
  public SetTitle {
    Objects.requireNonNull(node, "node");
  }

  @Override
  public Graph apply(Graph graph) {
    String t = title == null || title.isBlank() ? null : title.strip();
    return graph.withNode(graph.require(node).withTitle(t));
  }

  @Override
  public String description() {
    return "Rename " + node;
  }
}
