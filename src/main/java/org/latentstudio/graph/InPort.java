package org.latentstudio.graph;

import java.util.List;

/**
 * A typed handle to an input, declared once as a constant in the node class and used both for the schema and
 * to read the value in {@code evaluate}. Builder methods return copies.
 */
public final class InPort<T> {
  private final InputSpec spec;
  private final Class<T> valueClass;

  private InPort(InputSpec spec, Class<T> valueClass) {
    this.spec = spec;
    this.valueClass = valueClass;
  }

  public static InPort<Long> integer(String name, long defaultValue, long min, long max) {
    return new InPort<>(spec(name, PortType.INT, defaultValue, min, max, 1L), Long.class);
  }

  public static InPort<Double> number(String name, double defaultValue, double min, double max) {
    return new InPort<>(spec(name, PortType.FLOAT, defaultValue, min, max, null), Double.class);
  }

  public static InPort<String> text(String name, String defaultValue) {
    return new InPort<>(spec(name, PortType.STRING, defaultValue, null, null, null), String.class);
  }

  public static InPort<Boolean> bool(String name, boolean defaultValue) {
    return new InPort<>(spec(name, PortType.BOOLEAN, defaultValue, null, null, null), Boolean.class);
  }

  /** A combo box over fixed choices; the first choice is the default unless given. */
  public static InPort<String> choice(String name, String defaultValue, List<String> choices) {
    InputSpec s = spec(name, PortType.STRING, defaultValue, null, null, null);
    return new InPort<>(with(s, choices, s.multiline(), s.optional(), s.seed(), s.fileKind(), s.tooltip(), s.step()),
        String.class);
  }

  /** An input that only a link can feed (MODEL, LATENT, ...). */
  public static <V> InPort<V> linked(String name, PortType type, Class<V> valueClass) {
    return new InPort<>(spec(name, type, null, null, null, null), valueClass);
  }

  private static InputSpec spec(String name, PortType type, Object def, Number min, Number max, Number step) {
    return new InputSpec(name, type, def, min, max, step, List.of(), false, false, false, null, null);
  }

  private static InputSpec with(InputSpec s, List<String> choices, boolean multiline, boolean optional,
      boolean seed, String fileKind, String tooltip, Number step) {
    return new InputSpec(s.name(), s.type(), s.defaultValue(), s.min(), s.max(), step, choices, multiline,
        optional, seed, fileKind, tooltip);
  }

  private InPort<T> copy(InputSpec s) {
    return new InPort<>(s, valueClass);
  }

  public InPort<T> step(Number step) {
    InputSpec s = spec;
    return copy(with(s, s.choices(), s.multiline(), s.optional(), s.seed(), s.fileKind(), s.tooltip(), step));
  }

  public InPort<T> multiline() {
    InputSpec s = spec;
    return copy(with(s, s.choices(), true, s.optional(), s.seed(), s.fileKind(), s.tooltip(), s.step()));
  }

  public InPort<T> optional() {
    InputSpec s = spec;
    return copy(with(s, s.choices(), s.multiline(), true, s.seed(), s.fileKind(), s.tooltip(), s.step()));
  }

  public InPort<T> seed() {
    InputSpec s = spec;
    return copy(with(s, s.choices(), s.multiline(), s.optional(), true, s.fileKind(), s.tooltip(), s.step()));
  }

  public InPort<T> file(String kind) {
    InputSpec s = spec;
    return copy(with(s, s.choices(), s.multiline(), s.optional(), s.seed(), kind, s.tooltip(), s.step()));
  }

  public InPort<T> tooltip(String text) {
    InputSpec s = spec;
    return copy(with(s, s.choices(), s.multiline(), s.optional(), s.seed(), s.fileKind(), text, s.step()));
  }

  public InputSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public Class<T> valueClass() {
    return valueClass;
  }
}
