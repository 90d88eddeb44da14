package org.latentstudio.ui.canvas;

import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;

/** The identity of a port dot on the canvas: which node and port, which side, and its declared type. */
public record PortHandle(NodeId node, String port, boolean input, PortType type) {
  public PortRef ref() {
    return new PortRef(node, port);
  }
}
