package org.latentstudio.exec;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node results by cache key, within a byte budget. The least recently used results go first when a new one
 * does not fit; a result larger than the whole budget is not kept at all. Thread-safe.
 */
public final class OutputCache {
  private final LinkedHashMap<CacheKey, Outputs> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long budgetBytes;
  private long usedBytes;
  private long hits;
  private long misses;

  public OutputCache(long budgetBytes) {
    setBudget(budgetBytes);
  }

  public synchronized Outputs get(CacheKey key) {
    Outputs o = entries.get(key);
    if (o == null) {
      misses++;
    } else {
      hits++;
    }
    return o;
  }

  public synchronized void put(CacheKey key, Outputs outputs) {
    long size = outputs.byteSize();
    Outputs old = entries.remove(key);
    if (old != null) {
      usedBytes -= old.byteSize();
    }
    if (size > budgetBytes) {
      return;
    }
    entries.put(key, outputs);
    usedBytes += size;
    evictToBudget();
  }

  public synchronized void setBudget(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cache budget must not be negative");
    }
    budgetBytes = bytes;
    evictToBudget();
  }

  public synchronized void clear() {
    entries.clear();
    usedBytes = 0;
  }

  public synchronized long usedBytes() {
    return usedBytes;
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized boolean contains(CacheKey key) {
    return entries.containsKey(key);
  }

  public synchronized String stats() {
    return entries.size() + " results, " + usedBytes + " of " + budgetBytes + " bytes, " + hits + " hits, "
        + misses + " misses";
  }

  private void evictToBudget() {
    Iterator<Map.Entry<CacheKey, Outputs>> it = entries.entrySet().iterator();
    while (usedBytes > budgetBytes && it.hasNext()) {
      usedBytes -= it.next().getValue().byteSize();
      it.remove();
    }
  }
}
