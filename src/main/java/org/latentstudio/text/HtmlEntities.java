package org.latentstudio.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTML character references, decoded the two ways CLIP's text cleaning needs them.
 *
 * <p>{@link #unescape} is Python's {@code html.unescape}: HTML5 rules, so {@code &amp} without a semicolon,
 * the longest known prefix of an unknown name ({@code &notit;} is {@code ¬it;}) and the Windows-1252 meaning of
 * {@code &#128;}..{@code &#159;}. {@link #unescapeStrict} is ftfy's {@code unescape_html}: only complete
 * references that end in a semicolon, plus upper-case forms such as {@code &EACUTE;}. Both read the table
 * Python uses ({@code html5-entities.tsv}, written by {@code src/python/reference/html5_entities.py}).
 */
final class HtmlEntities {
  private static final int LONGEST_NAME = 32;
  private static final int LONGEST_STRICT = 24;

  private HtmlEntities() {}

  static String unescape(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int done = 0;
    while (amp >= 0) {
      out.append(s, done, amp);
      done = decodeReference(s, amp, out);
      amp = s.indexOf('&', done);
    }
    return out.append(s, done, s.length()).toString();
  }

  static String unescapeStrict(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int done = 0;
    while (amp >= 0) {
      int end = strictReferenceEnd(s, amp);
      if (end < 0) {
        out.append(s, done, amp + 1);
        done = amp + 1;
      } else {
        out.append(s, done, amp).append(decodeStrict(s.substring(amp, end)));
        done = end;
      }
      amp = s.indexOf('&', done);
    }
    return out.append(s, done, s.length()).toString();
  }

  /**
   * Decodes the reference at {@code s[amp]} into {@code out} the way {@code html.unescape} does and returns
   * where to go on; text that is no reference is copied unchanged.
   */
  private static int decodeReference(String s, int amp, StringBuilder out) {
    int i = amp + 1;
    if (i < s.length() && s.charAt(i) == '#') {
      boolean hex = i + 1 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X');
      int digits = hex ? i + 2 : i + 1;
      int end = digits;
      while (end < s.length() && (hex ? Character.digit(s.charAt(end), 16) >= 0 && s.charAt(end) < 128
          : s.charAt(end) >= '0' && s.charAt(end) <= '9')) {
        end++;
      }
      if (end == digits) {
        out.append('&');
        return amp + 1;
      }
      out.append(numericReference(s.substring(digits, end), hex ? 16 : 10));
      return end < s.length() && s.charAt(end) == ';' ? end + 1 : end;
    }
    int end = i;
    int codePoints = 0;
    while (end < s.length() && codePoints < LONGEST_NAME && isNameChar(s.charAt(end))) {
      end += Character.charCount(s.codePointAt(end));
      codePoints++;
    }
    if (end == i) {
      out.append('&');
      return amp + 1;
    }
    if (end < s.length() && s.charAt(end) == ';') {
      end++;
    }
    String name = s.substring(i, end);
    String text = Tables.HTML5.get(name);
    if (text == null) {
      // the longest known prefix of at least two characters, as the HTML5 standard says
      for (int len = name.length() - 1; len >= 2 && text == null; len--) {
        String known = Tables.HTML5.get(name.substring(0, len));
        if (known != null) {
          text = known + name.substring(len);
        }
      }
    }
    out.append(text == null ? "&" + name : text);
    return end;
  }

  private static boolean isNameChar(char c) {
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
  }

  /** Python's {@code _replace_charref} for numbers: the HTML5 replacements for invalid ones. */
  private static String numericReference(String digits, int radix) {
    int value = 0;
    for (int k = 0; k < digits.length() && value <= Character.MAX_CODE_POINT; k++) {
      value = value * radix + Character.digit(digits.charAt(k), radix);
    }
    if (value == 0) {
      return "\uFFFD";
    }
    if (value == 0x0D) {
      return "\r";
    }
    if (value >= 0x80 && value <= 0x9F) {
      return String.valueOf(Windows1252.decode(value));
    }
    if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
      return "\uFFFD";
    }
    if (isInvalidCodePoint(value)) {
      return "";
    }
    return Character.toString(value);
  }

  private static boolean isInvalidCodePoint(int c) {
    return (c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
        || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
  }

  /** The end of ftfy's {@code &#?[0-9A-Za-z]{1,24};} at {@code amp}, or -1. */
  private static int strictReferenceEnd(String s, int amp) {
    int start = amp + 1 < s.length() && s.charAt(amp + 1) == '#' ? amp + 2 : amp + 1;
    int end = start;
    while (end < s.length() && end - start < LONGEST_STRICT && isAsciiAlphanumeric(s.charAt(end))) {
      end++;
    }
    return end > start && end < s.length() && s.charAt(end) == ';' ? end + 1 : -1;
  }

  private static boolean isAsciiAlphanumeric(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static String decodeStrict(String reference) {
    String text = Tables.STRICT.get(reference);
    if (text != null) {
      return text;
    }
    if (reference.startsWith("&#")) {
      String decoded = unescape(reference);
      // a partly decoded number ("&#65a;" -> "Aa;") is left alone
      return decoded.indexOf(';') >= 0 ? reference : decoded;
    }
    return reference;
  }

  /**
   * The entity tables, built when the first text with a '&' comes: most prompts have none, and building them (2,231
   * entities read, then their upper-case variants checked) was part of a cold start's first prompt.
   */
  private static final class Tables {
    /** Python's {@code html.entities.html5}: name, with its semicolon where it has one, to text. */
    static final Map<String, String> HTML5 = readTable();
    /** ftfy's {@code HTML_ENTITIES}: "&amp;name;" to text, upper-case variants included. */
    static final Map<String, String> STRICT = strictTable();
  }

  private static Map<String, String> readTable() {
    Map<String, String> table = new HashMap<>(4096);
    try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv")) {
      if (in == null) {
        throw new IllegalStateException("html5-entities.tsv is missing from the classpath; rebuild the application");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        StringBuilder text = new StringBuilder(2);
        for (String hex : line.substring(tab + 1).split(" ")) {
          text.appendCodePoint(Integer.parseInt(hex, 16));
        }
        table.put(line.substring(0, tab), text.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return table;
  }

  /** ftfy's {@code _build_html_entities}. */
  private static Map<String, String> strictTable() {
    Map<String, String> table = new HashMap<>(4096);
    for (var e : Tables.HTML5.entrySet()) {
      String name = e.getKey();
      if (!name.endsWith(";")) {
        continue;
      }
      table.put("&" + name, e.getValue());
      if (name.equals(name.toLowerCase(Locale.ROOT))) {
        String upper = "&" + name.toUpperCase(Locale.ROOT);
        if (unescape(upper).equals(upper)) {
          table.put(upper, e.getValue().toUpperCase(Locale.ROOT));
        }
      }
    }
    return table;
  }
}
