package org.latentstudio.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The import lines of a main source package that name any of the forbidden prefixes, for layering tests. */
public final class PackageImports {
  private PackageImports() {}

  /** "File.java: import ..." for each offending line of {@code src/main/java/org/latentstudio/<pkg>}. */
  public static List<String> offenders(String pkg, List<String> forbidden) throws IOException {
    Path dir = Path.of(System.getProperty("latentstudio.repo", "."), "src/main/java/org/latentstudio", pkg);
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import") && forbidden.stream().anyMatch(line::contains)) {
            offenders.add(f.getFileName() + ": " + line);
          }
        }
      }
    }
    return offenders;
  }
}
