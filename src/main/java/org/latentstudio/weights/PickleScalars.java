package org.latentstudio.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.latentstudio.weights.PickleMachine.PickleException;

/**
 * How pickle opcodes spell scalars: UTF-8 and Latin-1 strings, little-endian ints of any length, and the text
 * forms of protocol 0 (decimal ints, Python 2's "01"/"00" booleans, float reprs, quoted byte strings with
 * backslash escapes, raw-unicode-escape). Each refuses malformed input with a {@link PickleException}.
 */
final class PickleScalars {
  /** Digits or bytes of one int: checkpoints hold step counts, not big numbers. */
  static final int MAX_INT_BYTES = 256;

  private PickleScalars() {}

  static String utf8(byte[] b) throws PickleException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new PickleException("has a str that is not valid UTF-8");
    }
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static Object littleEndianInt(byte[] b) {
    if (b.length == 0) {
      return 0L;
    }
    byte[] bigEndian = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      bigEndian[i] = b[b.length - 1 - i];
    }
    return normalize(new BigInteger(bigEndian));
  }

  private static Object normalize(BigInteger n) {
    return n.bitLength() < 64 ? (Object) n.longValue() : n;
  }

  static long decimalInt(byte[] text) throws PickleException {
    if (textInteger(text, false) instanceof Long n) {
      return n;
    }
    throw new PickleException("has a memo index out of range");
  }

  /** INT: "01" and "00" are Python 2's True and False. */
  static Object textInt(byte[] text) throws PickleException {
    String s = latin1(text);
    if (s.equals("01") || s.equals("00")) {
      return s.equals("01");
    }
    return textInteger(text, false);
  }

  static Object textLong(byte[] text) throws PickleException {
    return textInteger(text, true);
  }

  private static Object textInteger(byte[] text, boolean trailingL) throws PickleException {
    String s = latin1(text);
    if (trailingL && s.endsWith("L")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.length() > MAX_INT_BYTES || !s.matches("[+-]?[0-9]+")) {
      throw new PickleException("has '" + abbreviate(s) + "' where an integer belongs");
    }
    return normalize(new BigInteger(s));
  }

  static Double textFloat(byte[] text) throws PickleException {
    String s = latin1(text).strip();
    switch (s) {
      case "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan", "-nan", "+nan" -> {
        return Double.NaN;
      }
      default -> {
        if (s.length() > MAX_INT_BYTES || !s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
          throw new PickleException("has '" + abbreviate(s) + "' where a float belongs");
        }
        return Double.parseDouble(s);
      }
    }
  }

  /** STRING's argument: Python 2's repr of a byte string, quoted, with backslash escapes. */
  static byte[] quotedString(byte[] text) throws PickleException {
    int n = text.length;
    if (n < 2 || (text[0] != '\'' && text[0] != '"') || text[n - 1] != text[0]) {
      throw new PickleException("has an unquoted STRING argument");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n);
    for (int i = 1; i < n - 1; i++) {
      byte c = text[i];
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (++i >= n - 1) {
        throw new PickleException("has a STRING that ends in a lone backslash");
      }
      switch (text[i]) {
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'a' -> out.write(7);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'v' -> out.write(11);
        case '\\', '\'', '"' -> out.write(text[i]);
        case 'x' -> {
          if (i + 2 > n - 2) {
            throw new PickleException("has a STRING with a short \\x escape");
          }
          out.write(hex(text, i + 1, 2));
          i += 2;
        }
        default -> {
          if (text[i] < '0' || text[i] > '7') {
            throw new PickleException("has a STRING with an unknown escape");
          }
          int v = 0;
          int k = 0;
          while (k < 3 && i < n - 1 && text[i] >= '0' && text[i] <= '7') {
            v = v * 8 + (text[i++] - '0');
            k++;
          }
          i--;
          out.write(v & 0xff);
        }
      }
    }
    return out.toByteArray();
  }

  /** UNICODE's argument: Latin-1 text with \\uXXXX and \\UXXXXXXXX escapes ("raw-unicode-escape"). */
  static String rawUnicodeEscape(byte[] text) throws PickleException {
    StringBuilder sb = new StringBuilder(text.length);
    for (int i = 0; i < text.length; i++) {
      int c = text[i] & 0xff;
      if (c == '\\' && i + 1 < text.length && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
        int digits = text[i + 1] == 'u' ? 4 : 8;
        if (i + 2 + digits > text.length) {
          throw new PickleException("has a UNICODE argument with a short \\u escape");
        }
        int cp = hex(text, i + 2, digits);
        if (cp < 0 || !Character.isValidCodePoint(cp)) {
          throw new PickleException("has a UNICODE argument that escapes an invalid code point");
        }
        sb.appendCodePoint(cp);
        i += 1 + digits;
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static int hex(byte[] text, int from, int digits) throws PickleException {
    long v = 0;
    for (int k = 0; k < digits; k++) {
      int d = Character.digit(text[from + k], 16);
      if (d < 0) {
        throw new PickleException("has a hex escape with a non-hex digit");
      }
      v = v * 16 + d;
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
