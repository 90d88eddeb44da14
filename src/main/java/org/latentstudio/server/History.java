package org.latentstudio.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finished prompts by prompt_id, oldest first, as {@code GET /history} returns them. Keeps the last
 * {@value #MAX} like ComfyUI, so a long-running server does not grow without bound.
 */
final class History {
  static final int MAX = 10_000;
  private final LinkedHashMap<String, ObjectNode> entries = new LinkedHashMap<>();

  synchronized void put(String promptId, ObjectNode entry) {
    entries.remove(promptId);
    entries.put(promptId, entry);
    while (entries.size() > MAX) {
      entries.remove(entries.keySet().iterator().next());
    }
  }

  synchronized ObjectNode get(String promptId) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode e = entries.get(promptId);
    if (e != null) {
      out.set(promptId, e.deepCopy());
    }
    return out;
  }

  /** The last {@code maxItems} (all when null), from {@code offset} when given. */
  synchronized ObjectNode list(Integer maxItems, Integer offset) {
    List<Map.Entry<String, ObjectNode>> all = new ArrayList<>(entries.entrySet());
    int from = offset != null && offset >= 0 ? offset : maxItems != null ? Math.max(0, all.size() - maxItems) : 0;
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (int i = from; i < all.size() && (maxItems == null || out.size() < maxItems); i++) {
      out.set(all.get(i).getKey(), all.get(i).getValue().deepCopy());
    }
    return out;
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized void delete(String promptId) {
    entries.remove(promptId);
  }
}
