package org.latentstudio.ui.widgets;

/**
 * Arithmetic typed into a number field, as Blender allows: {@code 512*1.5}, {@code (20+4)/2}, {@code -3}.
 * Numbers, + - * / and parentheses; anything else is refused.
 */
final class Expressions {
  private final String s;
  private int pos;

  private Expressions(String s) {
    this.s = s;
  }

  /** @throws IllegalArgumentException when the text is not such an expression */
  static double evaluate(String text) {
    Expressions p = new Expressions(text == null ? "" : text.strip());
    if (p.s.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    double v = p.sum();
    p.skipSpaces();
    if (p.pos != p.s.length() || !Double.isFinite(v)) {
      throw new IllegalArgumentException("not a number: " + text);
    }
    return v;
  }

  private double sum() {
    double v = product();
    while (true) {
      skipSpaces();
      if (eat('+')) {
        v += product();
      } else if (eat('-')) {
        v -= product();
      } else {
        return v;
      }
    }
  }

  private double product() {
    double v = unary();
    while (true) {
      skipSpaces();
      if (eat('*')) {
        v *= unary();
      } else if (eat('/')) {
        v /= unary();
      } else {
        return v;
      }
    }
  }

  private double unary() {
    skipSpaces();
    if (eat('-')) {
      return -unary();
    }
    if (eat('+')) {
      return unary();
    }
    if (eat('(')) {
      double v = sum();
      skipSpaces();
      if (!eat(')')) {
        throw new IllegalArgumentException("missing )");
      }
      return v;
    }
    int start = pos;
    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == 'e'
        || s.charAt(pos) == 'E' || ((s.charAt(pos) == '-' || s.charAt(pos) == '+') && pos > start
        && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("expected a number at " + pos);
    }
    try {
      return Double.parseDouble(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + s.substring(start, pos));
    }
  }

  private boolean eat(char c) {
    if (pos < s.length() && s.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipSpaces() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }
}
