package org.latentstudio.exec;

import org.latentstudio.graph.NodeId;

/** A node failed while running. {@link #getMessage()} reads well on its own: it names the node and the problem. */
public final class NodeExecutionException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient NodeId nodeId;
  private final String nodeType;
  private final String reason;

  public NodeExecutionException(NodeId nodeId, String nodeType, String reason, Throwable cause) {
    super("node '" + nodeId + "' (" + nodeType + ") failed: " + reason, cause);
    this.nodeId = nodeId;
    this.nodeType = nodeType;
    this.reason = reason;
  }

  public NodeId nodeId() {
    return nodeId;
  }

  public String nodeType() {
    return nodeType;
  }

  /** The problem without the node prefix, for display on the node itself. */
  public String reason() {
    return reason;
  }
}
