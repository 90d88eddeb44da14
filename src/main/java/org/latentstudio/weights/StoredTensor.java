package org.latentstudio.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One tensor inside a weight file: where its bytes are and what they hold. Nothing is read until asked, so a
 * checkpoint's catalogue costs only its header. The bytes are little-endian and row-major (C order), which is
 * what safetensors and PyTorch's storages hold and what ONNX external data expects.
 *
 * @param name   the tensor's name in the file (a state-dict key)
 * @param offset absolute offset of the first byte in {@code file}
 * @param length number of bytes, always elements × dtype size
 */
public record StoredTensor(String name, DType dtype, long[] shape, Path file, long offset, long length) {
  public StoredTensor {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  public long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The same bytes under another name and shape of the same element count (a view, not a copy). */
  public StoredTensor as(String newName, long... newShape) {
    long n = 1;
    for (long d : newShape) {
      n *= d;
    }
    if (n != elements()) {
      throw new IllegalArgumentException("cannot view " + name + " " + Arrays.toString(shape) + " as "
          + Arrays.toString(newShape));
    }
    return new StoredTensor(newName, dtype, newShape, file, offset, length);
  }

  /** The same tensor under another name. */
  public StoredTensor renamed(String newName) {
    return new StoredTensor(newName, dtype, shape, file, offset, length);
  }

  /** The tensor's bytes, memory-mapped read-only (no copy), little-endian. */
  public ByteBuffer map() throws IOException {
    if (length > Integer.MAX_VALUE) {
      throw new IOException(file + ": tensor " + name + " is " + length + " bytes, over the 2 GiB a single tensor "
          + "may have here");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** The values as float32, converted from F16 or BF16 as needed: for arithmetic in Java (LoRA merges, tests). */
  public float[] readFloats() throws IOException {
    if (!dtype.isFloatWeight()) {
      throw new IOException(file + ": tensor " + name + " holds " + dtype.torchName() + " values, not float32, "
          + "float16 or bfloat16");
    }
    ByteBuffer b = map();
    int n = Math.toIntExact(elements());
    float[] out = new float[n];
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.float16ToFloat(b.getShort(2 * i));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        }
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredTensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
        && file.equals(t.file) && offset == t.offset && length == t.length;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
