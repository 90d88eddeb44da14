package org.latentstudio.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a folder can take the files saved into it, checked when it is chosen (--output, Preferences) rather than
 * when the first picture is saved after minutes of sampling.
 */
public final class WritableFolder {
  private WritableFolder() {}

  /**
   * What keeps {@code folder} from taking files, to follow its name (" is a file, not a folder"), or null. One that
   * does not exist yet is fine where the nearest folder above it that exists may be written into.
   */
  public static String problem(Path folder) {
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      return " is a file, not a folder";
    }
    Path existing = folder.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isDirectory(existing) && !Files.isWritable(existing)) {
      return ": you may not write into " + existing;
    }
    return null;
  }
}
