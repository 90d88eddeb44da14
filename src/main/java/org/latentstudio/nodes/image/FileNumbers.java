package org.latentstudio.nodes.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The next free number for {@code stem_NNNNN.png} in a folder. The folder is listed once per stem; after that a
 * counter hands out numbers, so saving into a folder of thousands of pictures does not list it every time.
 * The save itself still refuses to overwrite, so a number taken meanwhile by another program only costs a retry.
 */
public final class FileNumbers {
  private final Map<Path, Integer> next = new ConcurrentHashMap<>();

  /** Reserves a number for a file named {@code stem_NNNNN.png} in {@code dir}. */
  public int reserve(Path dir, String stem) throws IOException {
    Path key = dir.toAbsolutePath().normalize().resolve(stem);
    int first = next.containsKey(key) ? 0 : highestIn(dir, stem) + 1;
    return next.merge(key, first, (old, ignored) -> old + 1);
  }

  private static int highestIn(Path dir, String stem) throws IOException {
    Pattern p = Pattern.compile(Pattern.quote(stem) + "_(\\d{5,})\\.png");
    int max = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max;
  }
}
