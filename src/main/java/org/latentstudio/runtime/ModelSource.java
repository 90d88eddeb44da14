package org.latentstudio.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.latentstudio.compiler.CompiledGraph;
import org.latentstudio.lora.LoraPatch;

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

  /**
   * A model with LoRAs merged into its weights when its session is built: a session of its own, told apart from
   * the base model's and from other LoRA sets and strengths by its key. An empty list is the base model itself
   * ({@link #withLoras}).
   */
  record Patched(ModelSource base, List<LoraPatch> loras) implements ModelSource {
    public Patched {
      if (base instanceof Patched p) {
        List<LoraPatch> all = new ArrayList<>(p.loras());
        all.addAll(loras);
        loras = all;
        base = p.base();
      }
      loras = List.copyOf(loras);
    }

    @Override
    public String key() {
      return base.key() + " + LoRA " + loras.stream().map(LoraPatch::key).collect(Collectors.joining(" + "));
    }

    @Override
    public String label() {
      return base.label() + " with " + loras.stream().map(l -> l.file().name() + " at " + l.strength())
          .collect(Collectors.joining(", "));
    }
  }

  /** This model with {@code loras} merged into its weights, or itself when there are none. */
  default ModelSource withLoras(List<LoraPatch> loras) {
    return loras.isEmpty() ? this : new Patched(this, loras);
  }

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
