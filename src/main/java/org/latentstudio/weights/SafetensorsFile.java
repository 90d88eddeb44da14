package org.latentstudio.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.io.IoErrors;

/**
 * A {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, then the tensors' bytes.
 * Opening reads and checks the header only; tensors are memory-mapped on demand (files over 2 GB work, since
 * each tensor is mapped on its own), and ONNX Runtime reads the weights straight from the file.
 */
public final class SafetensorsFile {
  private final Path file;
  private final SafetensorsHeader header;
  private final WeightSet tensors;

  private SafetensorsFile(Path file, SafetensorsHeader header, WeightSet tensors) {
    this.file = file;
    this.header = header;
    this.tensors = tensors;
  }

  public static SafetensorsFile open(Path file) throws WeightFileException {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new WeightFileException(abs, Files.exists(abs) ? "is not a file" : "does not exist");
    }
    try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new WeightFileException(abs, "is only " + size + " bytes, too short for a safetensors file (8-byte "
            + "header length, JSON header, data); it is truncated or not a safetensors file");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerBytes = len.getLong(0);
      if (headerBytes <= 0 || headerBytes > SafetensorsHeader.MAX_HEADER_BYTES) {
        throw new WeightFileException(abs, "declares a header of " + Long.toUnsignedString(headerBytes)
            + " bytes, which no safetensors file has (at most " + SafetensorsHeader.MAX_HEADER_BYTES
            + "); it is not a safetensors file or its first bytes are damaged");
      }
      if (8 + headerBytes > size) {
        throw new WeightFileException(abs, "declares a header of " + headerBytes + " bytes, past the end of the "
            + "file (" + size + " bytes); the file is truncated: get it again");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerBytes);
      readFully(ch, json, 8);
      SafetensorsHeader header;
      try {
        header = SafetensorsHeader.parse(json.array(), size - 8 - headerBytes);
      } catch (SafetensorsHeader.FormatException e) {
        throw new WeightFileException(abs, e.getMessage(), e);
      }
      Map<String, StoredTensor> tensors = new LinkedHashMap<>();
      for (SafetensorsHeader.Entry e : header.entries()) {
        tensors.put(e.name(), new StoredTensor(e.name(), e.dtype(), e.shape(), abs, 8 + headerBytes + e.begin(),
            e.end() - e.begin()));
      }
      return new SafetensorsFile(abs, header, new WeightSet(abs.toString(), tensors));
    } catch (IOException e) {
      throw new WeightFileException(abs, "cannot be read (" + IoErrors.reason(e) + ")", e);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  public Path file() {
    return file;
  }

  /** The tensors by name. */
  public WeightSet tensors() {
    return tensors;
  }

  /** The {@code __metadata__} block (training tool, base model, LoRA settings...), empty if absent. */
  public Map<String, String> metadata() {
    return header.metadata();
  }
}
