package org.latentstudio.edit;

import java.util.Objects;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.PortRef;

/** Removes the link into an input. */
public record Disconnect(PortRef input) implements Command {
  public Disconnect {
    Objects.requireNonNull(input, "input");
  }

  @Override
  public Graph apply(Graph graph) {
    return graph.withoutLink(input);
  }

  @Override
  public String description() {
    return "Disconnect " + input;
  }
}
