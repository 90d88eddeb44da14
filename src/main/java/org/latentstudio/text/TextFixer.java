package org.latentstudio.text;

import java.text.Normalizer;

/**
 * ftfy's {@code fix_text} with its default settings (ftfy 6.3), which CLIP runs on every prompt before
 * tokenising. Each line is fixed on its own, and the fixes repeat until the text stops changing, as in ftfy.
 *
 * <p>Left out: mojibake repair ({@code fix_encoding}: re-decoding text such as "cafÃ©" that went through the
 * wrong code page). It is a large statistical heuristic and typed or pasted prompts do not need it; the C1
 * control characters it would also handle are mapped by {@link #fixC1Controls}. Also left out is
 * {@code fix_line_breaks}, which only turns whitespace (CR, U+2028, U+2029) into other whitespace that
 * {@link TextCleaner} collapses anyway.
 */
final class TextFixer {
  private static final String LIGATURES_FROM = "ĲĳŉǱǲǳǄǅǆǇǈǉǊǋǌﬀﬁﬂﬃﬄﬅﬆ";
  private static final String[] LIGATURES_TO = {"IJ", "ij", "ʼn", "DZ", "Dz", "dz", "DŽ", "Dž", "dž", "LJ", "Lj",
      "lj", "NJ", "Nj", "nj", "ff", "fi", "fl", "ffi", "ffl", "ſt", "st"};
  private static final int WIDTH_FIRST = 0xFF01;
  private static final String[] WIDTH_MAP = widthMap();

  private TextFixer() {}

  static String fixText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescapeHtml = true;
    int pos = 0;
    while (pos < text.length()) {
      int newline = text.indexOf('\n', pos);
      int end = newline < 0 ? text.length() : newline + 1;
      String line = text.substring(pos, end);
      // a '<' looks like real HTML, whose entities ftfy keeps; it stays off for the lines after it too
      if (unescapeHtml && line.indexOf('<') >= 0) {
        unescapeHtml = false;
      }
      out.append(fixLine(line, unescapeHtml));
      pos = end;
    }
    return out.toString();
  }

  private static String fixLine(String text, boolean unescapeHtml) {
    while (true) {
      String before = text;
      if (unescapeHtml) {
        text = HtmlEntities.unescapeStrict(text);
      }
      text = fixC1Controls(text);
      text = fixLatinLigatures(text);
      text = fixCharacterWidth(text);
      text = uncurlQuotes(text);
      text = fixSurrogates(text);
      text = removeTerminalEscapes(text);
      text = removeControlChars(text);
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) {
        return text;
      }
    }
  }

  /** U+0080..U+009F read as Windows-1252, as browsers do. */
  private static String fixC1Controls(String s) {
    if (!contains(s, 0x80, 0x9F)) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 0x80 && chars[i] <= 0x9F) {
        chars[i] = Windows1252.decode(chars[i]);
      }
    }
    return new String(chars);
  }

  /** Latin ligatures such as ﬁ as separate letters; ligatures of other scripts stay. */
  private static String fixLatinLigatures(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      int k = LIGATURES_FROM.indexOf(s.charAt(i));
      if (k >= 0) {
        if (out == null) {
          out = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        out.append(LIGATURES_TO[k]);
      } else if (out != null) {
        out.append(s.charAt(i));
      }
    }
    return out == null ? s : out.toString();
  }

  /** Fullwidth letters and digits, halfwidth katakana and the ideographic space in their usual width. */
  private static String fixCharacterWidth(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String to = c == '\u3000' ? " " : c >= WIDTH_FIRST && c < WIDTH_FIRST + WIDTH_MAP.length
          ? WIDTH_MAP[c - WIDTH_FIRST] : null;
      if (to != null) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
        out.append(to);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** ftfy's {@code _build_width_map}: U+FF01..U+FFEF to their NFKC form where that differs. */
  private static String[] widthMap() {
    String[] map = new String[0xFFF0 - WIDTH_FIRST];
    for (int i = 0; i < map.length; i++) {
      String c = String.valueOf((char) (WIDTH_FIRST + i));
      String nfkc = Normalizer.normalize(c, Normalizer.Form.NFKC);
      map[i] = nfkc.equals(c) ? null : nfkc;
    }
    return map;
  }

  private static String uncurlQuotes(String s) {
    if (!contains(s, 0x02BC, 0x02BC) && !contains(s, 0x2018, 0x201F)) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c == '\u02BC' || (c >= '\u2018' && c <= '\u201B')) {
        chars[i] = '\'';
      } else if (c >= '\u201C' && c <= '\u201F') {
        chars[i] = '"';
      }
    }
    return new String(chars);
  }

  /** Unpaired UTF-16 surrogates as U+FFFD; pairs are already whole characters in a Java string. */
  private static String fixSurrogates(String s) {
    if (!contains(s, 0xD800, 0xDFFF)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      out.appendCodePoint(c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c);
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** ANSI escapes ({@code ESC [ digits-and-semicolons letter}), such as terminal colours. */
  private static String removeTerminalEscapes(String s) {
    int esc = s.indexOf('\u001B');
    if (esc < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int done = 0;
    while (esc >= 0) {
      int end = terminalEscapeEnd(s, esc);
      out.append(s, done, end < 0 ? esc + 1 : esc);
      done = end < 0 ? esc + 1 : end;
      esc = s.indexOf('\u001B', done);
    }
    return out.append(s, done, s.length()).toString();
  }

  private static int terminalEscapeEnd(String s, int esc) {
    int i = esc + 1;
    if (i >= s.length() || s.charAt(i) != '[') {
      return -1;
    }
    i++;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      if (c != ';' && !Character.isDigit(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    boolean letter = i < s.length() && ((s.charAt(i) >= 'a' && s.charAt(i) <= 'z')
        || (s.charAt(i) >= 'A' && s.charAt(i) <= 'Z'));
    return letter ? i + 1 : -1;
  }

  /**
   * Control characters with no visible effect: C0 controls except tab, newline, form feed and carriage
   * return, DEL, the deprecated Arabic format controls, interlinear annotations, U+FFFC and the byte order mark.
   */
  private static String removeControlChars(String s) {
    int i = 0;
    while (i < s.length() && !isRemovedControl(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, i);
    for (; i < s.length(); i++) {
      if (!isRemovedControl(s.charAt(i))) {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  private static boolean isRemovedControl(char c) {
    return c < 0x09 || c == 0x0B || (c >= 0x0E && c < 0x20) || c == 0x7F || (c >= 0x206A && c <= 0x206F)
        || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
  }

  private static boolean contains(String s, int first, int last) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= first && c <= last) {
        return true;
      }
    }
    return false;
  }
}
