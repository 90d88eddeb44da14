package org.latentstudio.runtime;

import java.util.concurrent.atomic.AtomicLong;

/** Time spent inside ONNX Runtime session runs, so benchmarks can tell it apart from everything else. */
public final class RuntimeStats {
  private final AtomicLong onnxNanos = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();

  void addOnnxNanos(long nanos) {
    onnxNanos.addAndGet(nanos);
    runs.incrementAndGet();
  }

  public long onnxNanos() {
    return onnxNanos.get();
  }

  public long runs() {
    return runs.get();
  }

  public void reset() {
    onnxNanos.set(0);
    runs.set(0);
  }
}
