package org.latentstudio.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where relative picture paths in a workflow are looked up: the working directory first, then the install
 * home (so {@code assets/inputs/...} works from anywhere), then the user's input folder.
 */
public record InputPaths(List<Path> bases) {
  public InputPaths {
    bases = List.copyOf(bases);
  }

  public Optional<Path> resolve(String name) {
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path base : bases) {
      Path candidate = base.resolve(p).normalize();
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
