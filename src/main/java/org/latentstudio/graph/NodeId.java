package org.latentstudio.graph;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node's stable id inside one graph. Ids are readable words ("sampler", "positive") so workflows can be
 * scripted with {@code --set sampler.seed=42}; hence no dots or spaces.
 */
public record NodeId(String value) implements Comparable<NodeId> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_\\-]+");

  public NodeId {
    Objects.requireNonNull(value, "node id");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid node id '" + value + "': use letters, digits, '_' or '-' only");
    }
  }

  public static NodeId of(String value) {
    return new NodeId(value);
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
