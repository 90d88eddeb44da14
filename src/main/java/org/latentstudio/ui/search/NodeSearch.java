package org.latentstudio.ui.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.latentstudio.graph.NodeSchema;

/**
 * Fuzzy matching of node types over their display name, type id and category, as a search box wants it:
 * every word typed must match somewhere; whole words and word starts beat scattered letters, so "ks" finds
 * KSampler, "lat up" finds Latent Upscale and "math" finds every math node. With no query, the recently used
 * types come first. Pure logic; no JavaFX.
 */
public final class NodeSearch {
  private static final int MAX_RECENT = 8;

  private final Map<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, true);

  /** A type that matched, with its score (higher is better). */
  public record Hit(NodeSchema schema, int score) {}

  /** Remembers that the user added a node of this type. */
  public void used(String typeId) {
    recent.put(typeId, Boolean.TRUE);
    while (recent.size() > MAX_RECENT) {
      recent.remove(recent.keySet().iterator().next());
    }
  }

  public List<String> recent() {
    List<String> out = new ArrayList<>(recent.keySet());
    java.util.Collections.reverse(out);
    return out;
  }

  public List<NodeSchema> search(List<NodeSchema> schemas, String query) {
    return hits(schemas, query).stream().map(Hit::schema).toList();
  }

  public List<Hit> hits(List<NodeSchema> schemas, String query) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    List<Hit> out = new ArrayList<>();
    if (q.isEmpty()) {
      List<String> rec = recent();
      for (NodeSchema s : schemas) {
        int r = rec.indexOf(s.typeId());
        out.add(new Hit(s, r < 0 ? 0 : 1000 - r));
      }
      out.sort(Comparator.comparingInt((Hit h) -> -h.score()));
      return out;
    }
    String[] tokens = q.split("\\s+");
    for (NodeSchema s : schemas) {
      int total = 0;
      boolean all = true;
      for (String t : tokens) {
        int best = Math.max(score(s.displayName(), t), Math.max(score(s.typeId(), t) * 9 / 10,
            score(s.category(), t) / 2));
        if (best <= 0) {
          all = false;
          break;
        }
        total += best;
      }
      if (all) {
        total -= s.displayName().length();
        if (recent.containsKey(s.typeId())) {
          total += 50;
        }
        out.add(new Hit(s, total));
      }
    }
    out.sort(Comparator.comparingInt((Hit h) -> -h.score()).thenComparing(h -> h.schema().displayName()));
    return out;
  }

  /** How well one typed word matches a text: 0 when it does not. */
  static int score(String text, String token) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.equals(token)) {
      return 1000;
    }
    if (t.startsWith(token)) {
      return 800;
    }
    List<Integer> starts = wordStarts(text);
    for (int i : starts) {
      if (t.startsWith(token, i)) {
        return 600;
      }
    }
    if (t.contains(token)) {
      return 400;
    }
    // letters in order; each one on a word start (an acronym) scores more, gaps cost
    int score = 200;
    int pos = 0;
    int last = -1;
    for (int k = 0; k < token.length(); k++) {
      char c = token.charAt(k);
      int found = -1;
      for (int i : starts) {
        if (i >= pos && t.charAt(i) == c) {
          found = i;
          break;
        }
      }
      int plain = t.indexOf(c, pos);
      if (plain < 0 && found < 0) {
        return 0;
      }
      if (found >= 0 && (plain < 0 || found - plain < 4 || last < 0)) {
        score += 15;
        pos = found + 1;
      } else {
        score -= Math.min(20, plain - pos);
        pos = plain + 1;
      }
      last = pos;
    }
    return Math.max(1, score);
  }

  /**
   * Indices where words begin: after spaces, '_', '/', '-', at upper-case humps, and where an acronym gives way to
   * a word (KSampler: K, S; CLIPTextEncode: C, T, E).
   */
  static List<Integer> wordStarts(String text) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        continue;
      }
      if (i == 0) {
        out.add(i);
        continue;
      }
      char p = text.charAt(i - 1);
      boolean nextLower = i + 1 < text.length() && Character.isLowerCase(text.charAt(i + 1));
      if (!Character.isLetterOrDigit(p) || (Character.isUpperCase(c) && Character.isLowerCase(p))
          || (Character.isUpperCase(c) && Character.isUpperCase(p) && nextLower)
          || (Character.isDigit(c) && !Character.isDigit(p))) {
        out.add(i);
      }
    }
    return out;
  }
}
