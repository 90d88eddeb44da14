package org.latentstudio.runtime;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loaded models by source (an ONNX file, or a compiled graph with its weights), reused across runs. When the loaded models together would exceed the memory budget,
 * the least recently used ones that nobody is using right now are closed. A model in use is never closed
 * under its user: callers {@link #acquire} a {@link Lease} and close it when done.
 */
final class SessionCache {
  /** Loads a model; the cache calls it on a miss. */
  interface Loader {
    OnnxModel load(ModelSource source) throws ModelException;
  }

  /** Estimates the memory a model will take once loaded. */
  interface Sizer {
    long bytes(ModelSource source);
  }

  private static final class Entry {
    final OnnxModel model;
    final long bytes;
    int users;

    Entry(OnnxModel model, long bytes) {
      this.model = model;
      this.bytes = bytes;
    }
  }

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Loader loader;
  private final Sizer sizer;
  private long budgetBytes;
  private long usedBytes;
  private int loads;
  private long loadNanos;

  SessionCache(Loader loader, Sizer sizer, long budgetBytes) {
    this.loader = loader;
    this.sizer = sizer;
    this.budgetBytes = budgetBytes;
  }

  /** A model in use. Closing the lease lets the cache unload the model again if it must. */
  final class Lease implements AutoCloseable {
    private final String key;
    private final Entry entry;
    private boolean closed;

    Lease(String key, Entry entry) {
      this.key = key;
      this.entry = entry;
    }

    OnnxModel model() {
      return entry.model;
    }

    @Override
    public void close() {
      synchronized (SessionCache.this) {
        if (!closed) {
          closed = true;
          entry.users--;
          evictToBudget(key);
        }
      }
    }
  }

  /** Loading happens under the lock: two nodes asking for the same big model must not load it twice. */
  synchronized Lease acquire(ModelSource source) throws ModelException {
    String key = source.key();
    Entry e = entries.get(key);
    if (e == null) {
      long estimatedBytes = sizer.bytes(source);
      usedBytes += estimatedBytes;
      evictToBudget(key);
      long t0 = System.nanoTime();
      try {
        e = new Entry(loader.load(source), estimatedBytes);
        loadNanos += System.nanoTime() - t0;
      } catch (ModelException | RuntimeException ex) {
        usedBytes -= estimatedBytes;
        throw ex;
      }
      entries.put(key, e);
      loads++;
    }
    e.users++;
    return new Lease(key, e);
  }

  /** Unloads a model now if it is loaded and nobody uses it; returns whether it was unloaded. */
  synchronized boolean release(ModelSource source) {
    Entry e = entries.get(source.key());
    if (e == null || e.users > 0) {
      return false;
    }
    entries.remove(source.key());
    usedBytes -= e.bytes;
    closeQuietly(e.model);
    return true;
  }

  synchronized void setBudget(long bytes) {
    budgetBytes = bytes;
    evictToBudget(null);
  }

  synchronized int loadedCount() {
    return entries.size();
  }

  synchronized int loads() {
    return loads;
  }

  /** Time spent building sessions (LoRA merges included), for benchmarks. */
  synchronized long loadNanos() {
    return loadNanos;
  }

  synchronized long usedBytes() {
    return usedBytes;
  }

  synchronized boolean isLoaded(ModelSource source) {
    return entries.containsKey(source.key());
  }

  synchronized void closeAll() {
    List<OnnxModel> toClose = new ArrayList<>();
    entries.values().forEach(e -> toClose.add(e.model));
    entries.clear();
    usedBytes = 0;
    toClose.forEach(SessionCache::closeQuietly);
  }

  private void evictToBudget(String keep) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (usedBytes > budgetBytes && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getValue().users > 0 || e.getKey().equals(keep)) {
        continue;
      }
      it.remove();
      usedBytes -= e.getValue().bytes;
      closeQuietly(e.getValue().model);
    }
  }

  private static void closeQuietly(OnnxModel model) {
    try {
      model.close();
    } catch (OrtException e) {
      // closing releases native memory; a failure here leaves nothing for the user to do
    }
  }
}
