package org.latentstudio.weights;

import java.nio.file.Path;

/** A weight file that cannot be read as it is. The message names the file, what is wrong and what to do. */
public final class WeightFileException extends Exception {
  private final Path file;

  public WeightFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public WeightFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
