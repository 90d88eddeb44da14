package org.latentstudio.lora;

/** A LoRA file that cannot be applied as it is. The message names the file, what is wrong and what to do. */
public final class LoraException extends Exception {
  private static final long serialVersionUID = 1L;

  public LoraException(String message) {
    super(message);
  }

  public LoraException(String message, Throwable cause) {
    super(message, cause);
  }
}
