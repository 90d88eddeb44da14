package org.latentstudio.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.lora.LoraLayer;
import org.latentstudio.lora.LoraMatch;
import org.latentstudio.lora.LoraPatch;

/**
 * Merges LoRAs into the weights they name, {@code W' = W + Σ strength · delta}, for a session about to be built;
 * the arithmetic runs in ONNX Runtime ({@link LoraKernels}).
 * The user's files never change: the merged values go to ONNX Runtime as initializer overrides. Two caches keep
 * switching cheap, both in one byte budget, least recently used out first:
 * <ul>
 *   <li>each LoRA layer's delta (the matrix product), so a strength change does no matrix products;
 *   <li>each merged weight under the LoRAs and strengths that made it, so a weight that only an unchanged LoRA
 *       touches is not merged again when another LoRA of the stack changes.
 * </ul>
 * The counters say how much work each session build did, for tests and benchmarks.
 */
public final class WeightOverrides {
  /** A merged weight for one initializer, in the type and dims the graph declares. */
  record Merged(GraphWeights.Weight weight, ByteBuffer data) {}

  private final LoraKernels kernels;
  private final LinkedHashMap<String, Object> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long budgetBytes;
  private long usedBytes;
  private int deltasComputed;
  private int weightsMerged;
  private long mergeNanos;

  WeightOverrides(long budgetBytes, LoraKernels kernels) {
    this.budgetBytes = budgetBytes;
    this.kernels = kernels;
  }

  /**
   * The merged weights for a session of {@code baseKey} with {@code patches} applied in order.
   *
   * @param graph the graph, for weights stored inside it; null when all are external
   */
  synchronized List<Merged> merge(String baseKey, GraphWeights weights, List<LoraPatch> patches, ModelProto graph)
      throws ModelException {
    long t0 = System.nanoTime();
    // every initializer the patches touch, with the (patch, layer) pairs touching it, in patch order
    Map<String, Touched> touched = new LinkedHashMap<>();
    for (LoraPatch patch : patches) {
      for (LoraMatch.Applied a : patch.layers()) {
        for (GraphWeights.Weight w : weights.weights(a.param())) {
          touched.computeIfAbsent(w.initializer(), k -> new Touched(w, new ArrayList<>())).by()
              .add(new Contribution(patch, a));
        }
      }
    }
    List<Merged> out = new ArrayList<>();
    try {
      for (Touched t : touched.values()) {
        GraphWeights.Weight w = t.weight();
        StringBuilder key = new StringBuilder("merged|").append(baseKey).append('|').append(w.initializer());
        for (Contribution c : t.by()) {
          key.append('|').append(c.patch.key()).append('#').append(c.layer.layer().key());
        }
        ByteBuffer data = (ByteBuffer) get(key.toString());
        if (data == null) {
          List<ByteBuffer> deltas = new ArrayList<>();
          float[] strengths = new float[t.by().size()];
          for (Contribution c : t.by()) {
            strengths[deltas.size()] = (float) c.patch.strength();
            deltas.add(delta(c, w));
          }
          data = kernels.merge(GraphWeights.stored(w, graph), w.dataType(), w.elements(), deltas, strengths);
          weightsMerged++;
          put(key.toString(), data, data.capacity());
        }
        out.add(new Merged(w, data.duplicate()));
      }
    } catch (IOException | OrtException e) {
      throw new ModelException("cannot merge the LoRA into " + baseKey + ": " + e.getMessage()
          + ". A weight or LoRA file may have changed or be damaged", e);
    } finally {
      kernels.release();
      mergeNanos += System.nanoTime() - t0;
    }
    return out;
  }

  private record Contribution(LoraPatch patch, LoraMatch.Applied layer) {}

  private record Touched(GraphWeights.Weight weight, List<Contribution> by) {}

  private ByteBuffer delta(Contribution c, GraphWeights.Weight w) throws IOException, OrtException {
    String key = "delta|" + c.patch.file().fingerprint() + "|" + c.layer.layer().key() + "|" + w.transposed();
    ByteBuffer d = (ByteBuffer) get(key);
    if (d == null) {
      LoraLayer layer = c.layer.layer();
      long values = layer.outFeatures() * layer.inFeatures();
      if (values != w.elements()) {
        throw new IOException(layer.key() + " makes " + values + " values for " + w.initializer()
            + ", which holds " + w.elements());
      }
      d = kernels.delta(layer, w.transposed());
      deltasComputed++;
      put(key, d, d.capacity());
    }
    return d.duplicate();
  }

  private Object get(String key) {
    Object v = cache.get(key);
    return v == null ? null : ((Sized) v).value;
  }

  private record Sized(Object value, long bytes) {}

  private void put(String key, Object value, long bytes) {
    if (bytes > budgetBytes) {
      return;
    }
    Object old = cache.put(key, new Sized(value, bytes));
    usedBytes += bytes - (old == null ? 0 : ((Sized) old).bytes);
    trim(key);
  }

  /** Drops the least recently used entries, except {@code keep}, until the cache fits its budget. */
  private void trim(String keep) {
    Iterator<Map.Entry<String, Object>> it = cache.entrySet().iterator();
    while (usedBytes > budgetBytes && it.hasNext()) {
      Map.Entry<String, Object> eldest = it.next();
      if (!eldest.getKey().equals(keep)) {
        usedBytes -= ((Sized) eldest.getValue()).bytes;
        it.remove();
      }
    }
  }

  /** Matrix products done (one per LoRA layer and weight layout) since the runtime started. */
  public synchronized int deltasComputed() {
    return deltasComputed;
  }

  /** Weights merged (one per initializer and set of LoRAs and strengths touching it). */
  public synchronized int weightsMerged() {
    return weightsMerged;
  }

  /** Time spent merging, cache look-ups included. */
  public synchronized long mergeNanos() {
    return mergeNanos;
  }

  synchronized void setBudget(long bytes) {
    budgetBytes = bytes;
    trim(null);
  }
}
