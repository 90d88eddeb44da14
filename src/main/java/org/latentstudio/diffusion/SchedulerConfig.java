package org.latentstudio.diffusion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's {@code scheduler_config.json}: the keys diffusers would pass to a scheduler's constructor, with
 * their JSON values (String, Boolean, Long for whole numbers, Double otherwise, {@code List<Double>} for
 * {@code trained_betas}). Keys whose value is JSON null are left out, which is what diffusers' defaults
 * amount to.
 *
 * <p>As in diffusers' {@code from_config}, a key that is absent takes the default of the scheduler that reads
 * it (SD1.5 ships a PNDM config; an Euler scheduler built from it keeps its own defaults for the keys PNDM does
 * not have), so the readers here all take the default as an argument, and each sampler class lists the keys it
 * reads with diffusers' defaults next to them. {@link #with} is {@code from_config(config, **overrides)}.
 *
 * <p>Parsed from JSON by {@code org.latentstudio.io.SchedulerConfigJson}.
 */
public record SchedulerConfig(Map<String, Object> values) {
  public SchedulerConfig {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      copy.put(Objects.requireNonNull(e.getKey()), normalize(e.getKey(), v));
    }
    values = Collections.unmodifiableMap(copy);
  }

  public static SchedulerConfig empty() {
    return new SchedulerConfig(Map.of());
  }

  public static SchedulerConfig of(Map<String, ?> values) {
    return new SchedulerConfig(new LinkedHashMap<>(values));
  }

  /** A copy with {@code key} set (or removed when {@code value} is null). */
  public SchedulerConfig with(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    m.remove(key);
    if (value != null) {
      m.put(key, value);
    }
    return new SchedulerConfig(m);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** {@code _class_name}, the diffusers class the config was written for, if recorded. */
  public Optional<String> className() {
    return Optional.ofNullable((String) values.get("_class_name"));
  }

  public int integer(String key, int dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Long l && l == l.intValue()) {
      return l.intValue();
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
      return d.intValue();
    }
    throw wrongType(key, v, "a whole number");
  }

  public double real(String key, double dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrongType(key, v, "a number");
  }

  /** A number that defaults to None in diffusers (sigma_min, sigma_max). */
  public Optional<Double> optionalReal(String key) {
    return values.containsKey(key) ? Optional.of(real(key, 0)) : Optional.empty();
  }

  public boolean bool(String key, boolean dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, v, "true or false");
  }

  public String string(String key, String dflt) {
    Object v = values.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(key, v, "a string");
  }

  /** A list of numbers ({@code trained_betas}), if present. */
  public Optional<double[]> reals(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof List<?> list) {
      double[] out = new double[list.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) list.get(i)).doubleValue();
      }
      return Optional.of(out);
    }
    throw wrongType(key, v, "a list of numbers");
  }

  private static Object normalize(String key, Object v) {
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return (double) f;
    }
    if (v instanceof double[] a) {
      List<Double> l = new ArrayList<>(a.length);
      for (double d : a) {
        l.add(d);
      }
      return List.copyOf(l);
    }
    if (v instanceof List<?> list) {
      List<Double> l = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof Number n)) {
          throw new IllegalArgumentException("scheduler config '" + key + "': expected numbers, got " + list);
        }
        l.add(n.doubleValue());
      }
      return List.copyOf(l);
    }
    throw new IllegalArgumentException("scheduler config '" + key + "': unsupported value " + v + " ("
        + v.getClass().getSimpleName() + ")");
  }

  private static IllegalArgumentException wrongType(String key, Object v, String expected) {
    return new IllegalArgumentException("scheduler config '" + key + "' should be " + expected + ", not " + v);
  }
}
