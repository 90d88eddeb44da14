package org.latentstudio.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file and where each one's bytes lie, read from the central directory and checked
 * against each LOCAL header (the data starts after the local header's own name and extra field, which torch
 * pads so storages start on 64-byte boundaries). ZIP64 is handled: checkpoints over 4 GB use it. Entries are
 * located, not read, so a multi-gigabyte checkpoint costs its directory only. java.util.zip cannot say where
 * an entry's bytes are, hence this small reader.
 */
final class ZipDirectory {
  static final int STORED = 0;
  static final int DEFLATED = 8;

  private static final int LOCAL_SIG = 0x04034b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int END_SIG = 0x06054b50;
  private static final int END64_LOCATOR_SIG = 0x07064b50;
  private static final int END64_SIG = 0x06064b50;
  private static final int END_BYTES = 22;
  private static final long MAX_DIRECTORY_BYTES = 64L << 20;
  private static final int CENTRAL_BYTES = 46;
  private static final int LOCAL_BYTES = 30;

  /**
   * One entry.
   *
   * @param dataStart absolute offset of the entry's first data byte
   * @param size      bytes as stored (compressed size for a compressed entry)
   */
  record Entry(String name, int method, long dataStart, long size, long uncompressedSize, int crc) {
    long dataEnd() {
      return dataStart + size;
    }
  }

  /** Where the bytes come from: positional reads, as FileChannel offers (and byte arrays in tests). */
  interface Source {
    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; -1 at the end, as {@link FileChannel#read(ByteBuffer, long)}. */
    int read(ByteBuffer dst, long position) throws IOException;

    static Source of(FileChannel ch) {
      return new Source() {
        @Override
        public long size() throws IOException {
          return ch.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
          return ch.read(dst, position);
        }
      };
    }
  }

  /** A zip structure that breaks the format; the message says how (the caller names the file). */
  static final class FormatException extends Exception {
    FormatException(String message) {
      super(message);
    }
  }

  private final Source source;
  private final Map<String, Entry> entries;

  private ZipDirectory(Source source, Map<String, Entry> entries) {
    this.source = source;
    this.entries = entries;
  }

  /** Entries by name, in directory order. */
  Map<String, Entry> entries() {
    return entries;
  }

  static ZipDirectory read(Source ch) throws IOException, FormatException {
    long size = ch.size();
    ByteBuffer end = endRecord(ch, size);
    long count = end.getShort(10) & 0xffff;
    long dirSize = end.getInt(12) & 0xffffffffL;
    long dirOffset = end.getInt(16) & 0xffffffffL;
    long endOffset = size - end.capacity();
    if (count == 0xffff || dirSize == 0xffffffffL || dirOffset == 0xffffffffL) {
      ByteBuffer end64 = end64Record(ch, endOffset);
      count = end64.getLong(32);
      dirSize = end64.getLong(40);
      dirOffset = end64.getLong(48);
    }
    if (dirOffset < 0 || dirSize < 0 || dirOffset > size || dirSize > size - dirOffset) {
      throw new FormatException("its zip directory (bytes " + dirOffset + "+" + dirSize + ") lies outside the "
          + "file (" + size + " bytes): the file is truncated or damaged");
    }
    if (dirSize > MAX_DIRECTORY_BYTES) {
      throw new FormatException("its zip directory is " + dirSize + " bytes, more than a checkpoint's ("
          + MAX_DIRECTORY_BYTES + " at most)");
    }
    if (count < 0 || count > dirSize / CENTRAL_BYTES) {
      throw new FormatException("its zip directory claims " + count + " entries in " + dirSize + " bytes: the "
          + "file is damaged");
    }
    ByteBuffer dir = readAt(ch, dirOffset, (int) dirSize);
    Map<String, Entry> entries = new LinkedHashMap<>();
    int pos = 0;
    for (long i = 0; i < count; i++) {
      pos = centralEntry(ch, size, dir, pos, entries);
    }
    return new ZipDirectory(ch, Collections.unmodifiableMap(entries));
  }

  /** The end-of-central-directory record: the last 22 bytes, unless a comment (at most 65535 bytes) follows. */
  private static ByteBuffer endRecord(Source ch, long size) throws IOException, FormatException {
    int window = (int) Math.min(size, END_BYTES + 0xffffL);
    if (window < END_BYTES) {
      throw new FormatException("is only " + size + " bytes, too short for a zip file: it is truncated");
    }
    ByteBuffer tail = readAt(ch, size - window, window);
    for (int p = window - END_BYTES; p >= 0; p--) {
      if (tail.getInt(p) == END_SIG && p + END_BYTES + (tail.getShort(p + 20) & 0xffff) == window) {
        if (tail.getShort(p + 4) != 0 || tail.getShort(p + 6) != 0) {
          throw new FormatException("is a zip archive split over several files, which no checkpoint is");
        }
        return tail.slice(p, END_BYTES + (tail.getShort(p + 20) & 0xffff)).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    throw new FormatException("has no zip directory at its end: the file is truncated (the download or copy was "
        + "cut short) or it is not a PyTorch checkpoint");
  }

  private static ByteBuffer end64Record(Source ch, long endOffset) throws IOException, FormatException {
    if (endOffset < 20) {
      throw new FormatException("declares ZIP64 sizes but has no ZIP64 locator: the file is damaged");
    }
    ByteBuffer locator = readAt(ch, endOffset - 20, 20);
    if (locator.getInt(0) != END64_LOCATOR_SIG) {
      throw new FormatException("declares ZIP64 sizes but has no ZIP64 locator: the file is damaged");
    }
    long at = locator.getLong(8);
    if (at < 0 || at > endOffset - 20 - 56) {
      throw new FormatException("its ZIP64 directory record (at byte " + at + ") lies outside the file: the file "
          + "is damaged");
    }
    ByteBuffer end64 = readAt(ch, at, 56);
    if (end64.getInt(0) != END64_SIG) {
      throw new FormatException("its ZIP64 directory record is missing (at byte " + at + "): the file is damaged");
    }
    return end64;
  }

  /** Parses the central entry at {@code pos}, checks its local header and adds it; returns the next position. */
  private static int centralEntry(Source ch, long fileSize, ByteBuffer dir, int pos, Map<String, Entry> out)
      throws IOException, FormatException {
    if (pos > dir.capacity() - CENTRAL_BYTES || dir.getInt(pos) != CENTRAL_SIG) {
      throw new FormatException("its zip directory is damaged (no entry at byte " + pos + " of the directory)");
    }
    int flags = dir.getShort(pos + 8) & 0xffff;
    int method = dir.getShort(pos + 10) & 0xffff;
    int crc = dir.getInt(pos + 16);
    long size = dir.getInt(pos + 20) & 0xffffffffL;
    long uncompressed = dir.getInt(pos + 24) & 0xffffffffL;
    int nameLen = dir.getShort(pos + 28) & 0xffff;
    int extraLen = dir.getShort(pos + 30) & 0xffff;
    int commentLen = dir.getShort(pos + 32) & 0xffff;
    long localOffset = dir.getInt(pos + 42) & 0xffffffffL;
    int next = pos + CENTRAL_BYTES + nameLen + extraLen + commentLen;
    if (next > dir.capacity()) {
      throw new FormatException("its zip directory is damaged (an entry runs past the directory's end)");
    }
    byte[] nameBytes = new byte[nameLen];
    dir.get(pos + CENTRAL_BYTES, nameBytes);
    String name = name(nameBytes);
    // ZIP64: the 8-byte values replace, in this order, those of the fixed fields that are all ones
    boolean[] wide = {uncompressed == 0xffffffffL, size == 0xffffffffL, localOffset == 0xffffffffL};
    int needed = 8 * ((wide[0] ? 1 : 0) + (wide[1] ? 1 : 0) + (wide[2] ? 1 : 0));
    if (needed > 0) {
      ByteBuffer zip64 = extraField(dir.slice(pos + CENTRAL_BYTES + nameLen, extraLen), 0x0001);
      if (zip64 == null || zip64.capacity() < needed) {
        throw new FormatException("zip entry '" + name + "' lacks the ZIP64 sizes its directory entry announces: "
            + "the file is damaged");
      }
      int z = 0;
      if (wide[0]) {
        uncompressed = zip64.getLong(z);
        z += 8;
      }
      if (wide[1]) {
        size = zip64.getLong(z);
        z += 8;
      }
      if (wide[2]) {
        localOffset = zip64.getLong(z);
      }
    }
    if ((flags & 1) != 0) {
      throw new FormatException("zip entry '" + name + "' is encrypted; a checkpoint never is");
    }
    if (size < 0 || uncompressed < 0 || localOffset < 0 || localOffset > fileSize - LOCAL_BYTES) {
      throw new FormatException("zip entry '" + name + "' lies outside the file (local header at byte "
          + localOffset + " of " + fileSize + "): the file is truncated or damaged");
    }
    // one read for the local header and its name, which must be the central directory's
    ByteBuffer local = readAt(ch, localOffset, (int) Math.min(LOCAL_BYTES + nameLen, fileSize - localOffset));
    int localNameLen = local.getShort(26) & 0xffff;
    int localExtraLen = local.getShort(28) & 0xffff;
    if (local.getInt(0) != LOCAL_SIG || (local.getShort(8) & 0xffff) != method || localNameLen != nameLen
        || local.capacity() < LOCAL_BYTES + nameLen
        || !local.slice(LOCAL_BYTES, nameLen).equals(ByteBuffer.wrap(nameBytes))) {
      throw new FormatException("zip entry '" + name + "' has no matching local header at byte " + localOffset
          + ": the file is damaged");
    }
    long dataStart = localOffset + LOCAL_BYTES + localNameLen + localExtraLen;
    if (dataStart > fileSize || size > fileSize - dataStart) {
      throw new FormatException("zip entry '" + name + "' (" + size + " bytes from byte " + dataStart + ") runs "
          + "past the end of the file (" + fileSize + " bytes): the file is truncated. The download or copy was "
          + "probably cut short: get the file again");
    }
    if (method == STORED && size != uncompressed) {
      throw new FormatException("zip entry '" + name + "' is stored uncompressed but its two sizes differ ("
          + size + " and " + uncompressed + "): the file is damaged");
    }
    if (out.put(name, new Entry(name, method, dataStart, size, uncompressed, crc)) != null) {
      throw new FormatException("zip entry '" + name + "' appears twice; a checkpoint never has that, and zip "
          + "readers disagree on which one counts");
    }
    return next;
  }

  /** The data of the extra field with this id, or null. */
  private static ByteBuffer extraField(ByteBuffer extra, int id) {
    extra.order(ByteOrder.LITTLE_ENDIAN);
    int p = 0;
    while (p + 4 <= extra.capacity()) {
      int fieldId = extra.getShort(p) & 0xffff;
      int len = extra.getShort(p + 2) & 0xffff;
      if (p + 4 + len > extra.capacity()) {
        return null;
      }
      if (fieldId == id) {
        return extra.slice(p + 4, len).order(ByteOrder.LITTLE_ENDIAN);
      }
      p += 4 + len;
    }
    return null;
  }

  private static String name(byte[] bytes) throws FormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new FormatException("a zip entry name is not valid UTF-8: the file is damaged");
    }
  }

  /**
   * An entry's whole content, inflated if it is compressed and checked against its CRC-32: for the small
   * entries (the pickle, version, byteorder), never for storages.
   */
  byte[] content(Entry e, int maxBytes) throws IOException, FormatException {
    if (e.uncompressedSize() > maxBytes || e.size() > maxBytes) {
      throw new FormatException("zip entry '" + e.name() + "' is " + e.uncompressedSize() + " bytes, more than "
          + "the " + maxBytes + " such an entry may have");
    }
    byte[] stored = new byte[(int) e.size()];
    ByteBuffer buf = ByteBuffer.wrap(stored);
    readFully(source, buf, e.dataStart());
    byte[] data = switch (e.method()) {
      case STORED -> stored;
      case DEFLATED -> inflate(e, stored);
      default -> throw new FormatException("zip entry '" + e.name() + "' uses compression method " + e.method()
          + ", which PyTorch never writes");
    };
    CRC32 crc = new CRC32();
    crc.update(data);
    if ((int) crc.getValue() != e.crc()) {
      throw new FormatException("zip entry '" + e.name() + "' fails its CRC-32 check: the file is damaged. Get it "
          + "again");
    }
    return data;
  }

  private static byte[] inflate(Entry e, byte[] compressed) throws FormatException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[(int) e.uncompressedSize()];
      int n = 0;
      while (n < out.length && !inflater.finished()) {
        int k = inflater.inflate(out, n, out.length - n);
        if (k == 0) {
          break; // no progress: the input ended early or needs a dictionary
        }
        n += k;
      }
      if (n != out.length) {
        throw new FormatException("zip entry '" + e.name() + "' inflates to " + n + " bytes, not the "
            + out.length + " its directory declares: the file is damaged");
      }
      return out;
    } catch (DataFormatException x) {
      throw new FormatException("zip entry '" + e.name() + "' is not valid DEFLATE data: the file is damaged");
    } finally {
      inflater.end();
    }
  }

  private static ByteBuffer readAt(Source ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, b, position);
    return b.flip();
  }

  private static void readFully(Source ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }
}
