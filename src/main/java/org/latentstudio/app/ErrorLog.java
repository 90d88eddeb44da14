package org.latentstudio.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The studio's record of unexpected errors (bugs, not bad input): a studio started from the desktop's menu has no
 * terminal, so what it would print goes here too, for the user to find and attach to a bug report. Each report
 * says when, where (version, Java, system, thread) and the stack trace. The file is kept under {@link #MAX_BYTES};
 * beyond that it becomes {@code errors.log.1}, replacing the one before.
 */
public final class ErrorLog {
  public static final long MAX_BYTES = 1L << 20;
  private final Path file;

  public ErrorLog(Path file) {
    this.file = file;
  }

  /** {@code logs/errors.log} in the user's folder ({@link AppPaths#userDir}). */
  public static ErrorLog in(Path userDir) {
    return new ErrorLog(userDir.resolve("logs").resolve("errors.log"));
  }

  public Path file() {
    return file;
  }

  /** Appends a report of {@code error} in {@code thread}; false when the file cannot be written. */
  public synchronized boolean record(Thread thread, Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String report = "=== " + Instant.now() + "  Latent Studio " + AppVersion.get() + ", "
        + AppVersion.environment() + ", thread \"" + thread.getName() + "\"\n" + trace + "\n";
    try {
      Files.createDirectories(file.getParent());
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(file, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
