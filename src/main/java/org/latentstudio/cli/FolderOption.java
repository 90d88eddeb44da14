package org.latentstudio.cli;

import java.nio.file.Files;
import java.nio.file.Path;

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
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      return option + " " + folder + " is a file, not a folder; name a folder (one that does not exist yet is made)";
    }
    // the folder, or the nearest folder above it that exists, where it will be made
    Path existing = folder.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isDirectory(existing) && !Files.isWritable(existing)) {
      return option + " " + folder + ": you may not write into " + existing + "; name a folder you can write to";
    }
    return null;
  }
}
