package org.latentstudio.nodes.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Services;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;

/** What the add-on loader nodes share: finding the file, reading it, and the cache key that notices changes. */
public final class ModelFiles {
  private ModelFiles() {}

  /** Reads a model file or folder; what is wrong with it is a CheckpointException naming the file. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Path path) throws CheckpointException;
  }

  /** The model {@code name} (a path, or a name in {@code kind}'s folders), read; a failure is the node's. */
  public static <T> T load(ExecContext ctx, ModelLibrary.Kind kind, String name, Reader<T> reader)
      throws NodeException {
    try {
      return reader.read(ctx.service(ModelLibrary.class).resolve(kind, name));
    } catch (ModelException | CheckpointException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** {@code input} and why, where {@code name} names no model of {@code kind} ({@link NodeType#missingFiles}). */
  public static Map<String, String> missing(Services services, ModelLibrary.Kind kind, String input, Object name) {
    try {
      Path p = services.require(ModelLibrary.class).resolve(kind, String.valueOf(name));
      return Files.exists(p) ? Map.of() : Map.of(input, p + " does not exist");
    } catch (ModelException e) {
      return Map.of(input, e.getMessage());
    }
  }

  /** Cache-key material: a model file or folder whose files change on disk loads again. */
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
