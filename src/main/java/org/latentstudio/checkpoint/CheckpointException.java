package org.latentstudio.checkpoint;

/** A checkpoint that cannot be used as it is; the message names the file, the problem and the fix. */
public final class CheckpointException extends Exception {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
