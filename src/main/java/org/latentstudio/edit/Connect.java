package org.latentstudio.edit;

import java.util.Objects;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;

/**
 * Joins an output to an input, replacing whatever fed that input. Whether the types fit is checked by
 * {@link LinkRules} before the view offers the command; here only the nodes must exist.
 */
public record Connect(Link link) implements Command {
  public Connect {
    Objects.requireNonNull(link, "link");
  }

  @Override
  public Graph apply(Graph graph) {
    graph.require(link.from().node());
    graph.require(link.to().node());
    return graph.withLink(link);
  }

  @Override
  public String description() {
    return "Connect " + link.from() + " to " + link.to();
  }
}
