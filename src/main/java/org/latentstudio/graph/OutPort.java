package org.latentstudio.graph;

/** A typed handle to an output, declared once in the node class. */
public final class OutPort<T> {
  private final OutputSpec spec;
  private final Class<T> valueClass;

  private OutPort(OutputSpec spec, Class<T> valueClass) {
    this.spec = spec;
    this.valueClass = valueClass;
  }

  public static <V> OutPort<V> of(String name, PortType type, Class<V> valueClass) {
    return new OutPort<>(new OutputSpec(name, type, null), valueClass);
  }

  /** An ANY output that takes on the type of whatever feeds {@code input} (reroute). */
  public static OutPort<Object> forwarding(String name, String input) {
    return new OutPort<>(new OutputSpec(name, PortType.ANY, input), Object.class);
  }

  public OutputSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public Class<T> valueClass() {
    return valueClass;
  }
}
