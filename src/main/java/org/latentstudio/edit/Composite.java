package org.latentstudio.edit;

import java.util.List;
import java.util.Objects;
import org.latentstudio.graph.Graph;

/** Several commands that undo as one: add a node and wire it, insert a reroute into a link. */
public record Composite(String description, List<Command> parts) implements Command {
  public Composite {
    Objects.requireNonNull(description, "description");
    parts = List.copyOf(parts);
  }

  public static Composite of(String description, Command... parts) {
    return new Composite(description, List.of(parts));
  }

  @Override
  public Graph apply(Graph graph) {
    Graph g = graph;
    for (Command c : parts) {
      g = c.apply(g);
    }
    return g;
  }
}
