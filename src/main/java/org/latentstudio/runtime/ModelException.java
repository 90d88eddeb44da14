package org.latentstudio.runtime;

/** A model file or folder that cannot be used as it is; the message names the file and the fix. */
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
