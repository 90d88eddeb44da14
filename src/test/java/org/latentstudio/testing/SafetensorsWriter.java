package org.latentstudio.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small safetensors files for tests, the way the reference implementation lays them out (header padded
 * with spaces to 8 bytes, tensors back to back in header order), with hooks to damage them on purpose.
 */
public final class SafetensorsWriter {
  private record Item(String name, String dtype, long[] shape, byte[] data) {}

  private final List<Item> items = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  public SafetensorsWriter f32(String name, float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    items.add(new Item(name, "F32", shape, b.array()));
    return this;
  }

  public SafetensorsWriter f16(String name, float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Float.floatToFloat16(v));
    }
    items.add(new Item(name, "F16", shape, b.array()));
    return this;
  }

  public SafetensorsWriter bf16(String name, float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    items.add(new Item(name, "BF16", shape, b.array()));
    return this;
  }

  /** A tensor of zeros, any dtype name (even one that does not exist), {@code bytes} long. */
  public SafetensorsWriter raw(String name, String dtype, long[] shape, int bytes) {
    items.add(new Item(name, dtype, shape, new byte[bytes]));
    return this;
  }

  public SafetensorsWriter meta(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public String headerJson() {
    StringBuilder sb = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      sb.append("\"__metadata__\":{");
      int i = 0;
      for (var e : metadata.entrySet()) {
        sb.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
      }
      sb.append("},");
    }
    long offset = 0;
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      sb.append(i == 0 ? "" : ",").append('"').append(it.name).append("\":{\"dtype\":\"").append(it.dtype)
          .append("\",\"shape\":").append(java.util.Arrays.toString(it.shape).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(offset + it.data.length).append("]}");
      offset += it.data.length;
    }
    return sb.append('}').toString();
  }

  public byte[] bytes() {
    return bytes(headerJson());
  }

  /** The file with {@code header} in place of the real one (data as written). */
  public byte[] bytes(String header) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    int data = items.stream().mapToInt(i -> i.data.length).sum();
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    for (int i = h.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    items.forEach(it -> b.put(it.data));
    return b.array();
  }

  public Path write(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }
}
