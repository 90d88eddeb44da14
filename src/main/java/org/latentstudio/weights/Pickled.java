package org.latentstudio.weights;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python values {@link PickleMachine} makes. Plain Java types stand for the scalars: int is {@code Long}
 * (or {@code BigInteger} past 64 bits), float {@code Double}, bool {@code Boolean}, str {@code String}, bytes
 * {@code byte[]}. The types here stand for None and the containers. Anything else on the stack is the host's
 * (an allowed global, a storage, a tensor); the machine never looks inside it.
 */
final class Pickled {
  private Pickled() {}

  enum None { NONE }

  /** An immutable tuple. */
  record Tuple(List<Object> items) {
    static final Tuple EMPTY = new Tuple(List.of());

    Tuple {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    int size() {
      return items.size();
    }

    Object get(int i) {
      return items.get(i);
    }

    @Override
    public boolean equals(Object o) {
      return this == o; // identity, as containers may refer to themselves
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    @Override
    public String toString() {
      return "tuple of " + items.size();
    }
  }

  /** A list or a set (sets only need to hold what they are given). */
  static final class Sequence {
    final boolean isSet;
    final List<Object> items = new ArrayList<>(0);

    Sequence(boolean isSet) {
      this.isSet = isSet;
    }

    @Override
    public String toString() {
      return (isSet ? "set of " : "list of ") + items.size();
    }
  }

  /**
   * A dict (or OrderedDict), in insertion order. Keys must be hashable scalars or tuples of them, as in
   * Python; each is indexed by a canonical string, so a crafted file cannot degrade lookups with hash
   * collisions across key types (one key class, comparable: HashMap keeps colliding bins as trees).
   */
  static final class Dict {
    private static final int MAX_KEY_DEPTH = 8;
    private static final int MAX_KEY_CHARS = 1 << 20;
    private final Map<String, Object> keys = new HashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    void put(Object key, Object value) throws PickleMachine.PickleException {
      String k = canonical(key, 0);
      keys.putIfAbsent(k, key);
      values.put(k, value);
    }

    /** The value under a str key, or null. */
    Object get(String key) {
      return values.get("s" + key);
    }

    int size() {
      return values.size();
    }

    /** Key and value pairs in insertion order. */
    List<Map.Entry<Object, Object>> entries() {
      List<Map.Entry<Object, Object>> out = new ArrayList<>(values.size());
      values.forEach((k, v) -> out.add(Map.entry(keys.get(k), v)));
      return out;
    }

    private static String canonical(Object key, int depth) throws PickleMachine.PickleException {
      StringBuilder sb = new StringBuilder();
      appendCanonical(key, depth, sb);
      return sb.toString();
    }

    /** Bounded in length, so a tuple that holds one tuple many times over cannot make an exponential key. */
    private static void appendCanonical(Object key, int depth, StringBuilder sb) throws PickleMachine.PickleException {
      if (sb.length() > MAX_KEY_CHARS) {
        throw new PickleMachine.PickleException("uses a dict key longer than " + MAX_KEY_CHARS + " characters, "
            + "which a checkpoint never does");
      }
      switch (key) {
        case String s -> sb.append('s').append(s);
        case Long n -> sb.append('i').append(n);
        case BigInteger n -> sb.append('i').append(n);
        case Boolean b -> sb.append('b').append(b);
        case Double d -> sb.append('f').append(d);
        case None n -> sb.append('n');
        case byte[] b -> sb.append('y').append(HexFormat.of().formatHex(b));
        case Tuple t when depth < MAX_KEY_DEPTH -> {
          sb.append('(');
          for (Object item : t.items()) {
            appendCanonical(item, depth + 1, sb);
            sb.append('\u0000');
          }
          sb.append(')');
        }
        default -> throw new PickleMachine.PickleException("uses " + typeName(key) + " as a dict key, which a "
            + "checkpoint never does");
      }
    }

    @Override
    public String toString() {
      return "dict of " + values.size();
    }
  }

  /** Python's name for a value's type, for messages. Never recurses into the value. */
  static String typeName(Object v) {
    return switch (v) {
      case null -> "nothing";
      case String s -> "a str";
      case Long n -> "an int";
      case BigInteger n -> "an int";
      case Boolean b -> "a bool";
      case Double d -> "a float";
      case None n -> "None";
      case byte[] b -> "bytes";
      case Tuple t -> "a tuple";
      case Sequence s -> s.isSet ? "a set" : "a list";
      case Dict d -> "a dict";
      default -> v.toString();
    };
  }

  /** A short rendering of a scalar for metadata ("470000", "1.4.2", "True"), or null for anything else. */
  static String scalarText(Object v) {
    return switch (v) {
      case String s -> s;
      case Long n -> n.toString();
      case BigInteger n -> n.toString();
      case Boolean b -> b ? "True" : "False";
      case Double d -> pythonRepr(d);
      case None n -> "None";
      default -> null;
    };
  }

  /** A float as Python's repr writes it ("0.0001", "1e-05", "470000.0"), so metadata reads as in Python. */
  static String pythonRepr(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros(); // shortest round-trip digits
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - exact.scale() - 1;
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    String plain = exact.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }
}
