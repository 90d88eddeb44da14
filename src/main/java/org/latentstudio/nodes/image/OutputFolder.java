package org.latentstudio.nodes.image;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.NodeException;
import org.latentstudio.io.IoErrors;
import org.latentstudio.io.WritableFolder;

/**
 * Where a save node's {@code filename_prefix} puts files: always inside the run's output folder. The prefix may
 * name sub-folders ({@code portraits/cat}); they are made one at a time and never followed through a symbolic
 * link, and {@code .}, {@code ..} and absolute paths are refused, so no prefix writes anywhere else. The output
 * folder itself is the user's choice and may be a link.
 *
 * @param dir  the folder to save into, inside the output folder
 * @param stem what file names start with
 */
record OutputFolder(Path dir, String stem) {

  static OutputFolder resolve(Path outputDir, String prefix) throws NodeException {
    Path root = outputDir.toAbsolutePath().normalize();
    List<String> parts = parts(prefix);
    String stem = parts.remove(parts.size() - 1);
    if (prefix.startsWith("/") || prefix.startsWith("\\")) {
      throw refused(prefix, root, "it is an absolute path, outside the output folder");
    }
    if (stem.isEmpty() || stem.equals(".") || stem.equals("..")) {
      throw refused(prefix, root, "it does not end in a file name");
    }
    parts.removeIf(String::isEmpty);
    if (parts.stream().anyMatch(p -> p.equals(".") || p.equals(".."))) {
      throw refused(prefix, root, "'.' and '..' would lead out of the output folder");
    }
    try {
      if (!Files.isDirectory(root)) { // checked first: createDirectories on an existing folder throws and catches
        String unusable = WritableFolder.problem(root); // as --output and Preferences check it
        if (unusable != null) {
          throw new NodeException("the output folder " + root + unusable + "; choose another output folder "
              + "(Preferences, or --output)");
        }
        Files.createDirectories(root);
      }
      Path dir = root;
      for (String part : parts) {
        dir = subfolder(dir, part, prefix, root);
      }
      dir.resolve(stem); // a stem with a character no file name can hold fails here, before any picture is made
      if (!parts.isEmpty() && !dir.toRealPath().startsWith(root.toRealPath())) {
        throw refused(prefix, root, "it leads outside");
      }
      return new OutputFolder(dir, stem);
    } catch (InvalidPathException e) {
      throw refused(prefix, root, "it holds a character file names cannot have");
    } catch (IOException e) {
      throw new NodeException("cannot make the folder for filename_prefix '" + prefix + "' in " + root + ": "
          + IoErrors.reason(e) + "; choose an output folder you can write to", e);
    }
  }

  /** The prefix split at each slash or backslash, by hand: a regular expression cost a tenth of these checks. */
  private static List<String> parts(String prefix) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < prefix.length(); i++) {
      char ch = prefix.charAt(i);
      if (ch == '/' || ch == '\\') {
        parts.add(prefix.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(prefix.substring(from));
    return parts;
  }

  /** A real folder named {@code part} inside {@code dir}: made if missing, refused if it is a link or a file. */
  private static Path subfolder(Path dir, String part, String prefix, Path root) throws IOException, NodeException {
    Path next = dir.resolve(part);
    if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(next);
      } catch (FileAlreadyExistsException e) {
        // there already (a file, a link, or a folder made meanwhile): checked below
      }
    }
    if (Files.isSymbolicLink(next)) {
      throw refused(prefix, root, root.relativize(next) + " is a symbolic link, which the studio does not follow");
    }
    if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
      throw refused(prefix, root, root.relativize(next) + " is a file, not a folder");
    }
    return next;
  }

  private static NodeException refused(String prefix, Path root, String why) {
    return new NodeException("filename_prefix '" + prefix + "' cannot be used: " + why + ". Pictures stay inside "
        + "the output folder " + root + "; use a plain name or a subfolder such as renders/cat");
  }
}
