package org.latentstudio.text;

/**
 * CLIP's {@code bytes_to_unicode}: each of the 256 byte values as a printable character, so that BPE works on
 * strings without whitespace or control characters. A vocabulary spells its byte-level symbols this way.
 */
final class ByteSymbols {
  private static final char[] SYMBOLS = build();

  private ByteSymbols() {}

  static String of(int b) {
    return String.valueOf(SYMBOLS[b]);
  }

  /** Printable Latin-1 bytes stand for themselves; the others take U+0100 onwards, in byte order. */
  private static char[] build() {
    char[] symbols = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      symbols[b] = (char) (printable ? b : next++);
    }
    return symbols;
  }
}
