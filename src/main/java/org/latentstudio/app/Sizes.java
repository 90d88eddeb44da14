package org.latentstudio.app;

import java.util.Locale;

/** Memory sizes as people write them in settings: {@code 8g}, {@code 512m}, {@code 1048576}. */
public final class Sizes {
  private Sizes() {}

  /** Bytes from "8g", "1.5g", "512m", "64k" or a plain number of bytes; a bad value names {@code field}. */
  public static long parse(String field, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1;
    };
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1).trim();
    try {
      double v = Double.parseDouble(digits);
      if (v < 0 || Double.isNaN(v) || v * unit > Long.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return Math.round(v * unit);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(field, "'" + text + "' is not a size; write it like 8g, 512m or 0");
    }
  }

  /** The shortest exact form: "8g", "1536m", "100000". */
  public static String format(long bytes) {
    for (String u : new String[] {"t", "g", "m", "k"}) {
      long unit = 1L << (10 * ("kmgt".indexOf(u) + 1));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + u;
      }
    }
    return Long.toString(bytes);
  }
}
