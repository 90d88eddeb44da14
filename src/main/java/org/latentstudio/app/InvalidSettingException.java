package org.latentstudio.app;

/** A setting with a value Latent Studio cannot use: names the setting, says what is wrong and what fits. */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String problem;

  public InvalidSettingException(String field, String problem) {
    this(field, problem, field + ": " + problem);
  }

  private InvalidSettingException(String field, String problem, String message) {
    super(message);
    this.field = field;
    this.problem = problem;
  }

  /** The same problem, found in {@code file}: the message names the file first. */
  public InvalidSettingException in(java.nio.file.Path file) {
    return new InvalidSettingException(field, problem, file + ": " + ("file".equals(field) ? "the file " : field + ": ")
        + problem);
  }

  /** The setting's name as the settings file writes it, or the system property's. */
  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }
}
