package org.latentstudio.exec;

/**
 * Thrown by a node for a problem the user can fix (a missing file, a size that is not a multiple of 8).
 * The message says what is wrong and what to do; the executor adds the node id and type.
 */
public class NodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public NodeException(String message) {
    super(message);
  }

  public NodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
