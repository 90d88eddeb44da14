package org.latentstudio.ui.widgets;

import java.util.Locale;
import java.util.Random;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.WidgetValues;

/**
 * What a seed widget does after each run, stored on the node as the widget {@code "<input>.after_run"}: fixed,
 * randomize (the default, as in ComfyUI), increment or decrement. The executor ignores the extra key; it only
 * tells the studio how to change the seed once a run has been queued, so saving keeps the choice.
 */
public enum SeedControl {
  FIXED("fixed", "Fixed", "fix"),
  RANDOMIZE("randomize", "Randomize after each run", "rnd"),
  INCREMENT("increment", "Increment after each run", "+1"),
  DECREMENT("decrement", "Decrement after each run", "-1");

  public static final String SUFFIX = WidgetValues.AFTER_RUN_SUFFIX;

  private final String fileName;
  private final String label;
  private final String badge;

  SeedControl(String fileName, String label, String badge) {
    this.fileName = fileName;
    this.label = label;
    this.badge = badge;
  }

  public String fileName() {
    return fileName;
  }

  public String label() {
    return label;
  }

  public String badge() {
    return badge;
  }

  public static String key(String input) {
    return input + SUFFIX;
  }

  public static SeedControl of(Node node, String input) {
    Object v = node.widgets().get(key(input));
    if (v == null) {
      return RANDOMIZE;
    }
    String s = String.valueOf(v).toLowerCase(Locale.ROOT);
    for (SeedControl c : values()) {
      if (c.fileName.equals(s)) {
        return c;
      }
    }
    return FIXED;
  }

  /** The next seed, kept within the input's range; null when the seed stays. */
  public Long next(long current, InputSpec spec, Random random) {
    long min = spec.min() == null ? 0 : spec.min().longValue();
    long max = spec.max() == null ? 0xffff_ffff_ffffL : spec.max().longValue();
    return switch (this) {
      case FIXED -> null;
      case RANDOMIZE -> min + (long) (random.nextDouble() * (Math.min(max, 0xffff_ffff_ffffL) - min));
      case INCREMENT -> current >= max ? min : current + 1;
      case DECREMENT -> current <= min ? max : current - 1;
    };
  }

  public static boolean isSeedControlKey(String key) {
    return key.endsWith(SUFFIX);
  }

}
