package org.latentstudio.io;

/** A workflow file that cannot be read, with a message that says which file, what is wrong and what to do. */
public final class WorkflowFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkflowFormatException(String message) {
    super(message);
  }

  public WorkflowFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
