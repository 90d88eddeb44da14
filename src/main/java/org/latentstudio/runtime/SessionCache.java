package org.latentstudio.runtime;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

  /** Computes a value from a model (by running it). */
  interface Derivation<T> {
    T compute() throws ModelException;
  }

  /** Estimates the memory a model will take once loaded. */
  interface Sizer {
    long bytes(ModelSource source);
  }

  private static final class Entry {
    final OnnxModel model;
    final long bytes;
    /** Values computed from the model once and kept as long as its session ({@link Lease#derived}). */
    final Map<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();
    int users;

    Entry(OnnxModel model, long bytes) {
      this.model = model;
      this.bytes = bytes;
    }
  }

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  /** Loads under way, by key: loading happens outside the lock. */
  private final Map<String, CompletableFuture<Entry>> loading = new HashMap<>();
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

    /** The value computed by {@code make} the first time it is asked for under this name on this session. */
    <T> T derived(String name, Class<T> type, Derivation<T> make) throws ModelException {
      Object v = entry.derived.get(name);
      if (v == null) {
        v = make.compute();
        entry.derived.putIfAbsent(name, v);
      }
      return type.cast(v);
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

  /**
   * The model, loaded now if it is not. Different models load at the same time (the UNet's session can be made
   * while the text encoder runs); a second caller asking for a model that is being loaded waits for that load
   * instead of loading it twice.
   */
  Lease acquire(ModelSource source) throws ModelException {
    String key = source.key();
    while (true) {
      CompletableFuture<Entry> pending;
      long estimatedBytes = 0;
      boolean mine = false;
      synchronized (this) {
        Entry e = entries.get(key);
        if (e != null) {
          e.users++;
          return new Lease(key, e);
        }
        pending = loading.get(key);
        if (pending == null) {
          pending = new CompletableFuture<>();
          loading.put(key, pending);
          mine = true;
          estimatedBytes = sizer.bytes(source);
          usedBytes += estimatedBytes;
          evictToBudget(key);
        }
      }
      if (mine) {
        return load(source, key, estimatedBytes, pending);
      }
      try {
        pending.join(); // then take it from the entries, unless it was evicted meanwhile
      } catch (java.util.concurrent.CompletionException ex) {
        if (ex.getCause() instanceof ModelException me) {
          throw new ModelException(me.getMessage(), me);
        }
        throw ex.getCause() instanceof RuntimeException re ? re : ex;
      }
    }
  }

  private Lease load(ModelSource source, String key, long estimatedBytes, CompletableFuture<Entry> pending)
      throws ModelException {
    long t0 = System.nanoTime();
    OnnxModel model;
    try {
      model = loader.load(source);
    } catch (ModelException | RuntimeException ex) {
      synchronized (this) {
        usedBytes -= estimatedBytes;
        loading.remove(key);
      }
      pending.completeExceptionally(ex);
      throw ex;
    }
    Entry e = new Entry(model, estimatedBytes);
    synchronized (this) {
      loadNanos += System.nanoTime() - t0;
      entries.put(key, e);
      loading.remove(key);
      loads++;
      e.users++;
    }
    pending.complete(e);
    return new Lease(key, e);
  }

  /**
   * Unloads a model now if it is loaded and nobody uses it, with its sessions of fixed dimensions; returns whether
   * any was unloaded.
   */
  synchronized boolean release(ModelSource source) {
    boolean any = false;
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      if (isSessionOf(e.getKey(), source) && e.getValue().users == 0) {
        it.remove();
        usedBytes -= e.getValue().bytes;
        closeQuietly(e.getValue().model);
        any = true;
      }
    }
    return any;
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

  /** Whether a session of the model is loaded: for a source without fixed dimensions, any of its sessions. */
  synchronized boolean isLoaded(ModelSource source) {
    return entries.keySet().stream().anyMatch(key -> isSessionOf(key, source));
  }

  private static boolean isSessionOf(String key, ModelSource source) {
    return key.equals(source.key())
        || !(source instanceof ModelSource.FixedDims) && key.startsWith(ModelSource.FixedDims.keyPrefix(source));
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
