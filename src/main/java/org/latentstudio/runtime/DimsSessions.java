package org.latentstudio.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * The sessions of one model for calls of changing shapes. A small model gets one session per set of call
 * dimensions, each with them fixed ({@link OrtRuntime#fixingDims}); a large one keeps its single dynamic session.
 * If fixing the dimensions makes a declared input disagree with a call (an export that names its dimensions
 * differently), the model goes back to its dynamic session for good.
 */
final class DimsSessions implements AutoCloseable {
  private final OrtRuntime runtime;
  private final ModelSource source;
  /** The session opened first; its declared inputs and outputs describe every other. */
  private final ModelLease first;
  private final Map<Map<String, Long>, ModelLease> byDims = new HashMap<>();
  private Map<String, Long> currentDims;
  private ModelLease current;
  private boolean dynamic;

  /** Opens the session for the first call's {@code dims}. */
  DimsSessions(OrtRuntime runtime, ModelSource source, Map<String, Long> dims) throws ModelException {
    this.runtime = runtime;
    this.source = source.unfixed();
    ModelSource opened = runtime.fixingDims(source, dims);
    dynamic = !(opened instanceof ModelSource.FixedDims);
    first = runtime.open(opened);
    current = first;
    currentDims = dims;
    byDims.put(dynamic ? Map.of() : dims, first);
  }

  /** A typed view ({@link UNet}, {@link TextEncoder}, ...) built on the sessions of one model. */
  @FunctionalInterface
  interface View<T> {
    T create(DimsSessions sessions) throws ModelException;
  }

  /** Builds the view; if the model does not fit it (wrong inputs), the sessions are closed and its message thrown. */
  <T> T view(View<T> view) throws ModelException {
    try {
      return view.create(this);
    } catch (ModelException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The first session's model, for the declared inputs and outputs. */
  OnnxModel first() {
    return first.model();
  }

  /** A value computed from the model once and kept with its first session ({@link ModelLease#derived}). */
  <T> T derived(String name, Class<T> type, SessionCache.Derivation<T> make) throws ModelException {
    return first.derived(name, type, make);
  }

  /** The model to run a call of {@code dims} whose inputs have these shapes. */
  OnnxModel forCall(Map<String, Long> dims, Map<String, int[]> inputShapes) throws ModelException {
    if (dynamic) {
      return current.model();
    }
    if (!dims.equals(currentDims)) {
      ModelLease lease = byDims.get(dims);
      if (lease == null) {
        lease = runtime.open(runtime.fixingDims(source, dims));
        byDims.put(dims, lease);
      }
      current = lease;
      currentDims = dims;
    }
    for (var e : inputShapes.entrySet()) {
      if (!current.model().accepts(e.getKey(), e.getValue())) {
        dynamic = true;
        ModelLease whole = byDims.get(Map.of());
        if (whole == null) {
          whole = runtime.open(source);
          byDims.put(Map.of(), whole);
        }
        current = whole;
        break;
      }
    }
    return current.model();
  }

  @Override
  public void close() {
    byDims.values().forEach(ModelLease::close);
  }
}
