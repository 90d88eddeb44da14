package org.latentstudio.graph;

import java.util.Objects;

/** A wire from an output port to an input port. An input has at most one link, so {@code to} identifies it. */
public record Link(PortRef from, PortRef to) {
  public Link {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  public static Link of(String fromNode, String fromPort, String toNode, String toPort) {
    return new Link(PortRef.of(fromNode, fromPort), PortRef.of(toNode, toPort));
  }

  @Override
  public String toString() {
    return from + " -> " + to;
  }
}
