package org.latentstudio.text;

/** A tokenizer folder that cannot be used, with a message that names the file, what is wrong and what to do. */
public final class TokenizerFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public TokenizerFormatException(String message) {
    super(message);
  }

  public TokenizerFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
