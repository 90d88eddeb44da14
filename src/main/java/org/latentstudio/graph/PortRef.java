package org.latentstudio.graph;

import java.util.Objects;

/** One port of one node: an output when it is a link's source, an input when it is a link's target. */
public record PortRef(NodeId node, String port) {
  public PortRef {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(port, "port");
  }

  public static PortRef of(String node, String port) {
    return new PortRef(NodeId.of(node), port);
  }

  @Override
  public String toString() {
    return node + "." + port;
  }
}
