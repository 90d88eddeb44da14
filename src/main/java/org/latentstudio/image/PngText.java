package org.latentstudio.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG files with text chunks: the studio embeds the workflow in every picture it saves (chunk "workflow"), so
 * dropping the picture back on the canvas restores the graph, as ComfyUI does. Writing goes through
 * {@link PngEncoder}. Reading walks the chunks itself and never decodes pixels, so the workflow comes out of a
 * huge picture at once; it checks every length and checksum, and caps what a compressed chunk may inflate to,
 * so a damaged or hostile file ends in an {@link IOException} with a message, never in a hang.
 */
public final class PngText {
  /** The text chunk that holds our workflow (ComfyUI's pictures carry theirs in "workflow"). */
  public static final String WORKFLOW_KEY = "latentstudio";
  /** The eight bytes every PNG starts with. */
  public static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** The most a compressed text chunk may inflate to; a workflow is a few hundred kB at most. */
  static final int MAX_TEXT_BYTES = 64 << 20;

  private PngText() {}

  /** Writes the picture as PNG with the given text chunks (keyword → text), in their order. */
  public static void write(RgbImage image, Map<String, String> text, OutputStream out) throws IOException {
    PngEncoder.write(image, text, out);
  }

  public static boolean isPng(byte[] head) {
    if (head.length < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (head[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /** The tEXt, zTXt and iTXt chunks of a PNG file; empty for a PNG without any. Pixel data is skipped, not read. */
  public static Map<String, String> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch.size(), (at, len) -> {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
          if (ch.read(buf, at + buf.position()) < 0) {
            throw new IOException("the file shrank while it was read");
          }
        }
        return buf.array();
      });
    }
  }

  public static Map<String, String> read(byte[] png) throws IOException {
    return read(png.length, (at, len) -> Arrays.copyOfRange(png, (int) at, (int) at + len));
  }

  /** Random access to the bytes of a PNG. */
  private interface Bytes {
    byte[] read(long at, int length) throws IOException;
  }

  /**
   * Text chunks in file order (a repeated keyword keeps the last). A picture cut short keeps the chunks read
   * before the cut: a half-downloaded picture still gives its workflow.
   *
   * @throws IOException when it is not a PNG, or a text chunk is damaged (a wrong length or checksum, bad text)
   */
  private static Map<String, String> read(long size, Bytes png) throws IOException {
    if (size < SIGNATURE.length || !isPng(png.read(0, SIGNATURE.length))) {
      throw new IOException("not a PNG picture");
    }
    Map<String, String> out = new LinkedHashMap<>();
    long at = SIGNATURE.length;
    while (true) {
      if (size - at < 12) {
        return cutShort(out, at);
      }
      ByteBuffer header = ByteBuffer.wrap(png.read(at, 8));
      long length = Integer.toUnsignedLong(header.getInt(0));
      String name = chunkName(header.array(), at);
      if (length > size - at - 12) {
        return cutShort(out, at);
      }
      if (name.equals("IEND")) {
        return out;
      }
      if (name.equals("tEXt") || name.equals("zTXt") || name.equals("iTXt")) {
        if (length > MAX_TEXT_BYTES) {
          throw new IOException("the " + name + " chunk at byte " + at + " holds more than "
              + (MAX_TEXT_BYTES >> 20) + " MB; that is no workflow");
        }
        byte[] chunk = png.read(at + 4, 4 + (int) length + 4); // type, data, checksum
        CRC32 crc = new CRC32();
        crc.update(chunk, 0, chunk.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(chunk).getInt(chunk.length - 4)) {
          throw new IOException("damaged PNG: chunk " + name + " at byte " + at + " fails its checksum");
        }
        textChunk(name, Arrays.copyOfRange(chunk, 4, chunk.length - 4), at, out);
      }
      at += 12 + length;
    }
  }

  private static Map<String, String> cutShort(Map<String, String> found, long at) throws IOException {
    if (found.isEmpty()) {
      throw new IOException("the PNG is cut short at byte " + at + " (the file is incomplete)");
    }
    return found;
  }

  private static String chunkName(byte[] header, long at) throws IOException {
    for (int i = 4; i < 8; i++) {
      byte b = header[i];
      if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
        throw new IOException("damaged PNG: the chunk at byte " + at + " has no valid type");
      }
    }
    return new String(header, 4, 4, StandardCharsets.ISO_8859_1);
  }

  private static void textChunk(String type, byte[] data, long at, Map<String, String> out) throws IOException {
    int zero = indexOf(data, 0, 0);
    if (zero < 1 || zero > 79) {
      throw new IOException("damaged PNG: the " + type + " chunk at byte " + at + " has no valid keyword");
    }
    String key = new String(data, 0, zero, StandardCharsets.ISO_8859_1);
    int p = zero + 1;
    String value = switch (type) {
      case "tEXt" -> new String(data, p, data.length - p, StandardCharsets.ISO_8859_1);
      case "zTXt" -> {
        if (p >= data.length || data[p] != 0) {
          throw new IOException("damaged PNG: the zTXt chunk '" + key + "' uses an unknown compression");
        }
        yield new String(inflate(data, p + 1, key), StandardCharsets.ISO_8859_1);
      }
      default -> iText(data, p, key);
    };
    out.put(key, value);
  }

  /** iTXt: compression flag, method, language tag, translated keyword, then UTF-8 text. */
  private static String iText(byte[] data, int p, String key) throws IOException {
    if (p + 2 > data.length) {
      throw new IOException("damaged PNG: the iTXt chunk '" + key + "' is too short");
    }
    boolean compressed = data[p] != 0;
    if (compressed && data[p + 1] != 0) {
      throw new IOException("damaged PNG: the iTXt chunk '" + key + "' uses an unknown compression");
    }
    int language = indexOf(data, p + 2, 0);
    int translated = language < 0 ? -1 : indexOf(data, language + 1, 0);
    if (translated < 0) {
      throw new IOException("damaged PNG: the iTXt chunk '" + key + "' is malformed");
    }
    int start = translated + 1;
    byte[] text = compressed ? inflate(data, start, key) : Arrays.copyOfRange(data, start, data.length);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("damaged PNG: the iTXt chunk '" + key + "' is not UTF-8 text", e);
    }
  }

  private static byte[] inflate(byte[] data, int from, String key) throws IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, from, data.length - from);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IOException("damaged PNG: the compressed text chunk '" + key + "' is cut short");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_TEXT_BYTES) {
          throw new IOException("the text chunk '" + key + "' inflates to more than " + (MAX_TEXT_BYTES >> 20)
              + " MB; that is no workflow");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("damaged PNG: the compressed text chunk '" + key + "' is corrupt", e);
    } finally {
      inflater.end();
    }
  }

  private static int indexOf(byte[] data, int from, int value) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
