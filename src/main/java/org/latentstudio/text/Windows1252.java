package org.latentstudio.text;

import java.nio.charset.Charset;

/**
 * The Windows-1252 meaning of the C1 control range U+0080..U+009F, as browsers and ftfy read it. The five
 * bytes Windows-1252 leaves undefined keep their Latin-1 meaning (ftfy's "sloppy" codec).
 */
final class Windows1252 {
  private static final String C1 = decodeC1();

  private Windows1252() {}

  /** @param c a code point in U+0080..U+009F */
  static char decode(int c) {
    return C1.charAt(c - 0x80);
  }

  private static String decodeC1() {
    Charset cp1252 = Charset.forName("windows-1252");
    StringBuilder sb = new StringBuilder(32);
    for (int b = 0x80; b < 0xA0; b++) {
      char c = new String(new byte[] {(byte) b}, cp1252).charAt(0);
      sb.append(c == '\uFFFD' ? (char) b : c);
    }
    return sb.toString();
  }
}
