package org.latentstudio.exec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.graph.OutPort;

/** The values a node produced, by output name, plus what it shows the user. Immutable. */
public final class Outputs implements SizedValue {
  private static final long ENTRY_OVERHEAD = 64;
  private static final Outputs NONE = new Outputs(Map.of(), Display.NONE);

  private final Map<String, Object> values;
  private final Display display;

  private Outputs(Map<String, Object> values, Display display) {
    this.values = values;
    this.display = display;
  }

  public static Outputs none() {
    return NONE;
  }

  public static <T> Outputs of(OutPort<T> port, T value) {
    return NONE.and(port, value);
  }

  public <T> Outputs and(OutPort<T> port, T value) {
    return with(port.name(), value);
  }

  /** Adds a value by output name, for nodes (reroute, bypass) whose outputs are not typed in Java. */
  public Outputs with(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Outputs(Collections.unmodifiableMap(copy), display);
  }

  public Outputs withDisplay(Display newDisplay) {
    return new Outputs(values, newDisplay);
  }

  public Object get(String name) {
    return values.get(name);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(OutPort<T> port) {
    return (T) values.get(port.name());
  }

  public Map<String, Object> values() {
    return values;
  }

  public Display display() {
    return display;
  }

  @Override
  public long byteSize() {
    long total = ENTRY_OVERHEAD;
    for (Object v : values.values()) {
      total += ENTRY_OVERHEAD + (v instanceof SizedValue s ? s.byteSize() : 0);
      if (v instanceof String s) {
        total += 2L * s.length();
      }
    }
    for (var img : display.images()) {
      total += img.byteSize();
    }
    if (display.thumbnail() != null) {
      total += display.thumbnail().byteSize();
    }
    return total;
  }
}
