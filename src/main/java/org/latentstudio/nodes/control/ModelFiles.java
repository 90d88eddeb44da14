package org.latentstudio.nodes.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.latentstudio.exec.Services;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;

/** Cache-key material for loader nodes: a model file or folder whose files change on disk loads again. */
public final class ModelFiles {
  private ModelFiles() {}

  public static String stamp(Services services, ModelLibrary.Kind kind, Object name) {
    try {
      Path p = services.require(ModelLibrary.class).resolve(kind, String.valueOf(name));
      StringBuilder sb = new StringBuilder(p.toString());
      try (Stream<Path> files = Files.isDirectory(p) ? Files.walk(p, 1) : Stream.of(p)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          sb.append('|').append(f.getFileName()).append(Files.size(f)).append('@')
              .append(Files.getLastModifiedTime(f).toMillis());
        }
      }
      return sb.toString();
    } catch (ModelException | IOException | RuntimeException e) {
      return ""; // evaluate reports it
    }
  }
}
