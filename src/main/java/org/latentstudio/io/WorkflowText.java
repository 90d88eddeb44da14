package org.latentstudio.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a workflow file as text. A workflow is UTF-8; bytes that are not are reported with their place,
 * never replaced by U+FFFD, which would change a prompt without a word. A byte order mark is allowed (some
 * Windows editors write one), and other well-known binary files are named for what they are.
 */
final class WorkflowText {
  private static final char BOM = '\uFEFF';

  private WorkflowText() {}

  static String decode(byte[] bytes, String source) throws WorkflowFormatException {
    String foreign = foreignFormat(bytes);
    if (foreign != null) {
      throw new WorkflowFormatException(source + " is not a workflow: it is " + foreign + ". Open a workflow "
          + "(.json) or a PNG picture the studio saved.");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      throw new WorkflowFormatException(source + " is not UTF-8 text: the byte 0x"
          + String.format("%02X", bytes[at] & 0xff) + " on line " + lineOf(bytes, at) + " (byte " + at + " of the "
          + "file) is not valid UTF-8. Save the file as UTF-8 in a text editor and open it again.");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  static String withoutByteOrderMark(String text) {
    return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
  }

  /** A name for files that are plainly something else, or null. */
  private static String foreignFormat(byte[] b) {
    if (startsWith(b, 0xFE, 0xFF) || startsWith(b, 0xFF, 0xFE)) {
      return "UTF-16 text; save it as UTF-8";
    }
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return "a JPEG picture, which carries no workflow";
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      return "a GIF picture, which carries no workflow";
    }
    if (startsWith(b, 'P', 'K', 3, 4)) {
      return "a ZIP archive; unpack it first";
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int lineOf(byte[] b, int at) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (b[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
