package org.latentstudio.graph;

/**
 * One thing wrong with a graph, pointing at the node (and port) and saying what to do about it.
 *
 * @param node     the node concerned, or null for a problem with the file as a whole
 * @param nodeType the node's type id, or null
 * @param port     the input or output concerned, or null
 */
public record Problem(Kind kind, NodeId node, String nodeType, String port, String message, String fix) {

  public enum Kind {
    UNKNOWN_TYPE,
    MISSING_INPUT,
    TYPE_MISMATCH,
    CYCLE,
    OUT_OF_RANGE,
    NOT_IN_LIST,
    BAD_VALUE,
    NO_SUCH_PORT,
    NO_SUCH_NODE,
    MUTED_SOURCE,
    NO_OUTPUT_NODE,
    MODEL
  }

  /** A one-line description for a terminal or an error panel. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (node != null) {
      sb.append("node '").append(node).append('\'');
      if (nodeType != null) {
        sb.append(" (").append(nodeType).append(')');
      }
      if (port != null) {
        sb.append(", ").append(port);
      }
      sb.append(": ");
    }
    sb.append(message);
    if (fix != null && !fix.isBlank()) {
      sb.append(". Fix: ").append(fix);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
