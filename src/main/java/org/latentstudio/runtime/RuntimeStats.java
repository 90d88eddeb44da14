package org.latentstudio.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time spent inside ONNX Runtime session runs, so benchmarks can tell it apart from everything else, in all and
 * per model (a UNet, a ControlNet, a vision encoder).
 */
public final class RuntimeStats {
  private final AtomicLong onnxNanos = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();
  private final Map<String, long[]> byModel = new ConcurrentHashMap<>();

  void addOnnxNanos(long nanos) {
    onnxNanos.addAndGet(nanos);
    runs.incrementAndGet();
  }

  void addOnnxNanos(String model, long nanos) {
    addOnnxNanos(nanos);
    long[] t = byModel.computeIfAbsent(model, k -> new long[2]);
    synchronized (t) {
      t[0] += nanos;
      t[1]++;
    }
  }

  /** Per model: {nanoseconds, runs} since the last reset, by the model's name. */
  public Map<String, long[]> byModel() {
    Map<String, long[]> out = new TreeMap<>();
    byModel.forEach((k, v) -> {
      synchronized (v) {
        out.put(k, v.clone());
      }
    });
    return out;
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
    byModel.clear();
  }
}
