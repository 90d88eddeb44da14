package org.latentstudio.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes checkpoints in torch.save's zip layout from a hand-made pickle, for the cases torch never writes. */
final class TorchZips {
  private TorchZips() {}

  /** {@code archive/data.pkl}, {@code archive/version} and {@code archive/data/<key>} for each storage. */
  static Path write(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", pickle);
    storages.forEach((key, bytes) -> entries.put("archive/data/" + key, bytes));
    entries.put("archive/version", "3\n".getBytes());
    return zip(file, entries);
  }

  /** A zip of uncompressed entries, written by java.util.zip (which adds its own extra fields). */
  static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    return Files.write(file, zip(entries));
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream os = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        entry.setCompressedSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return os.toByteArray();
  }

  /** Bytes in memory as the reader's source, so tests that open thousands of variants need no disk. */
  static ZipDirectory.Source source(byte[] bytes) {
    return new ZipDirectory.Source() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public int read(ByteBuffer dst, long position) {
        if (position >= bytes.length) {
          return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - position);
        dst.put(bytes, (int) position, n);
        return n;
      }
    };
  }
}
