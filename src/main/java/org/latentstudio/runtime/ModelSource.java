package org.latentstudio.runtime;

import java.nio.file.Path;
import org.latentstudio.compiler.CompiledGraph;

/**
 * Where a session's model comes from: an ONNX file on disk, or a graph compiled from the user's weights. The
 * {@link #key()} identifies the session in the runtime's cache: a file by its path, a compiled model by its
 * weights file, component, build options and any weight overrides.
 */
public sealed interface ModelSource {
  /** The session cache key. */
  String key();

  /** The file the user knows the model by, for messages. */
  String label();

  /** An ONNX model file (optimum/diffusers ONNX export), possibly with external data beside it. */
  record OnnxFile(Path path) implements ModelSource {
    public OnnxFile {
      path = path.toAbsolutePath().normalize();
    }

    @Override
    public String key() {
      return "onnx:" + path;
    }

    @Override
    public String label() {
      return path.toString();
    }
  }

  /**
   * A graph compiled from a checkpoint, built (or read from the graph cache) on first load.
   *
   * @param weightBytes the size of its weights once loaded, for the memory budget
   */
  record Compiled(String key, String label, long weightBytes, GraphSource graph) implements ModelSource {}

  /** Produces the compiled graph; compiling may fail with a message about the checkpoint. */
  @FunctionalInterface
  interface GraphSource {
    CompiledGraph get() throws ModelException;
  }

  /** Convenience for the many places that hold a path. */
  static ModelSource of(Path onnxFile) {
    return new OnnxFile(onnxFile);
  }
}
