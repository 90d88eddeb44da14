package org.latentstudio.graph;

import java.util.Locale;

/** Conversion of widget values between their file, text and in-memory forms, with range checks. */
public final class WidgetValues {
  /**
   * The studio keeps what a seed (or another whole number) does after each run (fixed, randomize, ...) beside the seed, under the seed
   * input's name plus this suffix ({@code "seed.after_run"}); the executor ignores it.
   */
  public static final String AFTER_RUN_SUFFIX = ".after_run";

  private WidgetValues() {}

  /** Whether a widget name is the after-run choice of a whole-number input (a seed, or a ComfyUI primitive's). */
  public static boolean isAfterRunKey(String name, NodeSchema schema) {
    return name.endsWith(AFTER_RUN_SUFFIX) && schema.input(name.substring(0, name.length()
        - AFTER_RUN_SUFFIX.length())).map(s -> s.type() == PortType.INT).orElse(false);
  }

  /** The value a widget input has on this node: its own value, else the declared default. */
  public static Object effective(Node node, InputSpec spec) {
    Object v = node.widgets().get(spec.name());
    return v != null ? v : spec.defaultValue();
  }

  /**
   * Converts a JSON-like value to the canonical Java type of the input (Long, Double, String, Boolean).
   *
   * @throws IllegalArgumentException with a user-facing message when it does not fit
   */
  public static Object coerce(InputSpec spec, Object raw) {
    if (raw == null) {
      throw new IllegalArgumentException("no value");
    }
    return switch (spec.type()) {
      case INT -> toLong(raw);
      case FLOAT -> toDouble(raw);
      case BOOLEAN -> toBoolean(raw);
      case STRING -> raw instanceof String s ? s : String.valueOf(raw);
      default -> raw;
    };
  }

  /** Parses text typed by a user (command line {@code --set}, a text field) for this input. */
  public static Object parse(InputSpec spec, String text) {
    return coerce(spec, text);
  }

  /**
   * Checks range, choices and, for INT inputs with a step above 1, that the value is a multiple of the step
   * (image sizes must be multiples of 8). Returns null when the value is fine, else the message and the fix.
   */
  public static String[] check(InputSpec spec, Object value) {
    if (spec.hasChoices() && !spec.choices().contains(String.valueOf(value))) {
      return new String[] {
        "value '" + value + "' is not one of " + String.join(", ", spec.choices()),
        "choose one of " + String.join(", ", spec.choices())
      };
    }
    if (value instanceof Number n) {
      boolean isInt = spec.type() == PortType.INT;
      if (spec.min() != null && compare(n, spec.min(), isInt) < 0) {
        return new String[] {
          "value " + format(n) + " is below the minimum " + format(spec.min()), rangeFix(spec)
        };
      }
      if (spec.max() != null && compare(n, spec.max(), isInt) > 0) {
        return new String[] {
          "value " + format(n) + " is above the maximum " + format(spec.max()), rangeFix(spec)
        };
      }
      if (isInt && spec.step() != null && spec.step().longValue() > 1 && n.longValue() % spec.step().longValue() != 0) {
        long step = spec.step().longValue();
        long below = Math.floorDiv(n.longValue(), step) * step;
        return new String[] {
          "value " + n + " is not a multiple of " + step,
          "use " + below + " or " + (below + step)
        };
      }
      if (!isInt && Double.isNaN(n.doubleValue())) {
        return new String[] {"value is not a number", rangeFix(spec)};
      }
    }
    return null;
  }

  private static String rangeFix(InputSpec spec) {
    if (spec.min() != null && spec.max() != null) {
      return "set " + spec.name() + " between " + format(spec.min()) + " and " + format(spec.max());
    }
    return spec.min() != null ? "set " + spec.name() + " to at least " + format(spec.min())
        : "set " + spec.name() + " to at most " + format(spec.max());
  }

  private static int compare(Number a, Number b, boolean integer) {
    return integer ? Long.compare(a.longValue(), b.longValue()) : Double.compare(a.doubleValue(), b.doubleValue());
  }

  public static String format(Object n) {
    if (n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(n);
  }

  private static Long toLong(Object raw) {
    if (raw instanceof Long l) {
      return l;
    }
    if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e18) {
        return (long) d;
      }
      throw new IllegalArgumentException("value " + n + " is not a whole number");
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("value '" + s + "' is not a whole number");
      }
    }
    throw new IllegalArgumentException("value '" + raw + "' is not a whole number");
  }

  private static Double toDouble(Object raw) {
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("value '" + s + "' is not a number");
      }
    }
    throw new IllegalArgumentException("value '" + raw + "' is not a number");
  }

  private static Boolean toBoolean(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("1") || t.equals("yes")) {
        return true;
      }
      if (t.equals("false") || t.equals("0") || t.equals("no")) {
        return false;
      }
    }
    throw new IllegalArgumentException("value '" + raw + "' is not true or false");
  }
}
