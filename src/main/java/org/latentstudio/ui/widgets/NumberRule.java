package org.latentstudio.ui.widgets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.WidgetValues;

/**
 * What a number input allows, from its spec: the step, the decimals shown, and how a dragged or typed value
 * is snapped to the step and kept in range. Kept apart from the widget so the arithmetic is testable without
 * a screen.
 */
final class NumberRule {
  private final InputSpec spec;
  private final boolean integer;

  NumberRule(InputSpec spec) {
    this.spec = spec;
    this.integer = spec.type() == PortType.INT;
  }

  boolean integer() {
    return integer;
  }

  /** A float with a range narrow enough to show as a slider fill. */
  boolean slider() {
    return spec.min() != null && spec.max() != null && !integer
        && spec.max().doubleValue() - spec.min().doubleValue() <= 1e6;
  }

  double step() {
    if (spec.step() != null && spec.step().doubleValue() > 0) {
      return spec.step().doubleValue();
    }
    return integer ? 1 : 0.01;
  }

  /** As many decimals as the step has, at least one and at most six. */
  int decimals() {
    double step = step();
    int d = 0;
    while (d < 6 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-9) {
      d++;
    }
    return Math.max(d, 1);
  }

  String format(Object v) {
    if (v == null) {
      return "";
    }
    if (integer || !(v instanceof Number n)) {
      return WidgetValues.format(v);
    }
    return BigDecimal.valueOf(n.doubleValue()).setScale(decimals(), RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  /** Snapped to the step and clamped to the range; a Long for INT inputs, a Double otherwise. */
  Object clampAndRound(double v) {
    double step = step();
    double r = Math.rint(v / step) * step;
    if (spec.min() != null) {
      r = Math.max(r, spec.min().doubleValue());
    }
    if (spec.max() != null) {
      r = Math.min(r, spec.max().doubleValue());
    }
    if (integer) {
      // Math.round saturates at Long's limits, as a seed field near 2^64 needs
      return Math.round(r);
    }
    return BigDecimal.valueOf(r).setScale(decimals() + 2, RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * The value typed into the field: a whole number exactly as typed (a double would round a 19-digit seed),
   * or an arithmetic expression.
   *
   * @throws IllegalArgumentException when the text is neither, or a whole number beyond a long
   */
  Object parse(String text) {
    String t = text.strip();
    if (integer && t.matches("[-+]?\\d+")) {
      return clampLong(Long.parseLong(t));
    }
    return clampAndRound(Expressions.evaluate(t));
  }

  private long clampLong(long v) {
    long r = v;
    if (spec.min() != null) {
      r = Math.max(r, spec.min().longValue());
    }
    if (spec.max() != null) {
      r = Math.min(r, spec.max().longValue());
    }
    return r;
  }
}
