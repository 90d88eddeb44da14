package org.latentstudio.text;

import java.util.Locale;

/**
 * CLIP's text cleaning before tokenising ({@code simple_tokenizer}): {@code basic_clean} (ftfy, then HTML
 * unescaping twice), {@code whitespace_clean} (each whitespace run as one space, trimmed), then lower case.
 * Accents are kept.
 */
final class TextCleaner {
  private TextCleaner() {}

  static String clean(String text) {
    String fixed = HtmlEntities.unescape(HtmlEntities.unescape(TextFixer.fixText(text)));
    return collapseWhitespace(fixed).toLowerCase(Locale.ROOT);
  }

  /**
   * Whitespace as the {@code regex} module's {@code \s}: the Unicode White_Space property. (Python's
   * {@code strip()} also counts U+001C..U+001F, but ftfy has removed those by then.)
   */
  static boolean isWhitespace(int c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
        || c == 0x3000;
  }

  private static String collapseWhitespace(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.length() == s.length() ? s : out.toString();
  }
}
