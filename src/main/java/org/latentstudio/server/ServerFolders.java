package org.latentstudio.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The three folders ComfyUI's API names by "type": input (uploads, LoadImage), output (saved pictures) and temp
 * (previews). Every path a client names is resolved inside one of them, or refused: no "..", no absolute paths,
 * no separators in file names, no NUL, and no symlink that leads out (checked on the real path).
 */
public record ServerFolders(Path input, Path output, Path temp) {
  public ServerFolders {
    input = input.toAbsolutePath().normalize();
    output = output.toAbsolutePath().normalize();
    temp = temp.toAbsolutePath().normalize();
  }

  public void create() throws IOException {
    Files.createDirectories(input);
    Files.createDirectories(output);
    Files.createDirectories(temp);
  }

  /** The folder for a "type" value; none given means input, as in ComfyUI. */
  Path byType(String type) throws BadRequest {
    String t = type == null || type.isEmpty() ? "input" : type.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "input" -> input;
      case "output" -> output;
      case "temp" -> temp;
      default -> throw BadRequest.of("type must be input, output or temp, not '" + type + "'");
    };
  }

  /**
   * A file inside {@code base}: {@code subfolder} may have several parts, {@code filename} only one. Refuses
   * anything that would leave the folder, before and after following symlinks.
   */
  static Path inside(Path base, String subfolder, String filename) throws BadRequest {
    checkName(filename, "filename");
    Path dir = base;
    if (subfolder != null && (subfolder.startsWith("/") || subfolder.startsWith("\\")
        || subfolder.length() > 1 && subfolder.charAt(1) == ':')) {
      throw BadRequest.of("subfolder '" + subfolder + "' is an absolute path; give one inside the folder");
    }
    if (subfolder != null && !subfolder.isEmpty()) {
      for (String part : subfolder.replace('\\', '/').split("/")) {
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        checkName(part, "subfolder");
        dir = dir.resolve(part);
      }
    }
    Path file = dir.resolve(filename).normalize();
    if (!file.startsWith(base)) {
      throw BadRequest.of("the path leaves its folder");
    }
    return file;
  }

  /** The real path of an existing file, refused when a symlink takes it out of {@code base}. */
  static Path realInside(Path base, Path file) throws BadRequest, IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(base.toRealPath())) {
      throw new BadRequest(403, "forbidden", "the file links out of its folder");
    }
    return real;
  }

  private static void checkName(String name, String what) throws BadRequest {
    if (name == null || name.isEmpty()) {
      throw BadRequest.of(what + " is empty");
    }
    if (name.equals("..") || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0
        || name.contains(":") && name.length() > 1 && name.charAt(1) == ':') {
      throw BadRequest.of(what + " '" + name.replace("\0", "\\0") + "' may not contain '/', '\\', '..' or a drive");
    }
    if (name.length() > 255) {
      throw BadRequest.of(what + " is longer than 255 characters");
    }
  }
}
