package org.latentstudio.cli;

import java.nio.file.Path;
import org.latentstudio.io.WritableFolder;

/**
 * Checks of a folder option ({@code --output}, serve's {@code --input}) made before any work, so that a run does
 * not sample for a minute and then fail at the save: an empty name would be the working folder, a file's name
 * cannot become a folder, and a folder one may not write into takes no pictures.
 */
final class FolderOption {
  private FolderOption() {}

  /** What is wrong with {@code folder}, given as {@code option}, or null; {@code ifEmpty} says what to do then. */
  static String problem(String option, Path folder, String ifEmpty) {
    if (folder == null) {
      return null;
    }
    if (folder.toString().isBlank()) {
      return option + " is empty; " + ifEmpty;
    }
    String problem = WritableFolder.problem(folder);
    return problem == null ? null
        : option + " " + folder + problem + "; name a folder you can write to (one that does not exist yet is made)";
  }
}
