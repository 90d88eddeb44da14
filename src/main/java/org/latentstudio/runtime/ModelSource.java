package org.latentstudio.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
      if (base instanceof FixedDims) {
        throw new IllegalArgumentException("LoRAs are merged before dimensions are fixed");
      }
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

  /**
   * A model whose symbolic dimensions ("batch", "height", "width", "sequence") are fixed in its session: ONNX
   * Runtime then folds away the shape arithmetic of a dynamic export (chains of Shape, Gather, Unsqueeze, Concat:
   * half the operators of the tiny UNet), a fifth of a call on small models. Each set of dimensions is a session
   * of its own; {@link OrtRuntime#fixingDims} decides when that is worth it.
   */
  record FixedDims(ModelSource base, Map<String, Long> dims) implements ModelSource {
    public FixedDims {
      if (base instanceof FixedDims f) {
        base = f.base();
      }
      dims = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dims)); // sorted: a stable key
    }

    @Override
    public String key() {
      return keyPrefix(base) + dims;
    }

    /** What the keys of {@code base}'s sessions with fixed dimensions start with. */
    static String keyPrefix(ModelSource base) {
      return base.unfixed().key() + " at ";
    }

    @Override
    public String label() {
      return base.label();
    }
  }

  /** This source without fixed dimensions. */
  default ModelSource unfixed() {
    return this instanceof FixedDims f ? f.base() : this;
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
