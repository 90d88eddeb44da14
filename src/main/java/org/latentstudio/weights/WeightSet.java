package org.latentstudio.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Tensors by name, from one or more files: a component's state dict. Immutable; renaming and selecting make
 * new sets over the same bytes.
 *
 * @param origin what the tensors came from, for messages (a file, or a file and a prefix)
 */
public record WeightSet(String origin, Map<String, StoredTensor> byName) {
  public WeightSet {
    byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public int size() {
    return byName.size();
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public Optional<StoredTensor> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The tensors whose names start with {@code prefix}, with the prefix removed. */
  public WeightSet withPrefix(String prefix) {
    Map<String, StoredTensor> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return new WeightSet(origin + " (" + prefix + "*)", out);
  }

  /**
   * Renames every tensor; a name the function maps to null is dropped. Two names mapping to one is a bug in
   * the mapping, not in the file.
   */
  public WeightSet rename(Function<String, String> newName) {
    Map<String, StoredTensor> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> {
      String n = newName.apply(k);
      if (n != null && out.put(n, v) != null) {
        throw new IllegalStateException("two tensors renamed to " + n);
      }
    });
    return new WeightSet(origin, out);
  }

  /** Both sets together; the names must not clash. */
  public WeightSet plus(WeightSet other) {
    Map<String, StoredTensor> out = new LinkedHashMap<>(byName);
    other.byName.forEach((k, v) -> {
      if (out.put(k, v) != null) {
        throw new IllegalStateException("tensor " + k + " is in both " + origin + " and " + other.origin);
      }
    });
    return new WeightSet(origin, out);
  }

  /** Names in this set that are not in {@code used}, in file order: for "unused keys" messages. */
  public List<String> namesNotIn(Set<String> used) {
    List<String> out = new ArrayList<>();
    for (String k : byName.keySet()) {
      if (!used.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }
}
