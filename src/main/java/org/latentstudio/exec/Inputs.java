package org.latentstudio.exec;

import java.util.Map;
import java.util.Optional;
import org.latentstudio.graph.InPort;

/** The resolved input values of one node for one run: linked values and widget values alike. */
public final class Inputs {
  private final Map<String, Object> values;

  public Inputs(Map<String, Object> values) {
    this.values = values;
  }

  /** The value of a required input. The planner guarantees it is present. */
  public <T> T get(InPort<T> port) throws NodeException {
    return optional(port).orElseThrow(() -> new NodeException("input '" + port.name() + "' has no value"));
  }

  public <T> Optional<T> optional(InPort<T> port) throws NodeException {
    Object v = values.get(port.name());
    if (v == null) {
      return Optional.empty();
    }
    if (!port.valueClass().isInstance(v)) {
      throw new NodeException("input '" + port.name() + "' received a " + v.getClass().getSimpleName()
          + " where a " + port.valueClass().getSimpleName() + " was expected; check what is linked to it");
    }
    return Optional.of(port.valueClass().cast(v));
  }

  /** An INT input as a Java int, for sizes and counts. */
  public int getInt(InPort<Long> port) throws NodeException {
    long v = get(port);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new NodeException("input '" + port.name() + "' is out of range: " + v);
    }
    return (int) v;
  }

  public Object raw(String name) {
    return values.get(name);
  }

  public Map<String, Object> asMap() {
    return values;
  }
}
