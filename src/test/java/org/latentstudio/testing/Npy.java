package org.latentstudio.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.tensor.Tensor;

/**
 * Reads little-endian float32 (and int64, for token ids) .npy files (numpy's format), as the Python reference
 * scripts write them.
 */
public final class Npy {
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  public static Tensor read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    buf.get(magic);
    if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(file + " is not a .npy file");
    }
    int major = buf.get();
    buf.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
    byte[] header = new byte[headerLen];
    buf.get(header);
    String h = new String(header, StandardCharsets.US_ASCII);
    boolean int64 = h.contains("'<i8'");
    if (!(h.contains("'<f4'") || int64) || h.contains("'fortran_order': True")) {
      throw new IOException(file + ": only little-endian float32 or int64 in C order is supported, got " + h.trim());
    }
    Matcher m = SHAPE.matcher(h);
    if (!m.find()) {
      throw new IOException(file + ": no shape in header " + h);
    }
    int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
    float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    if (int64) {
      for (int i = 0; i < data.length; i++) {
        data[i] = buf.getLong();
      }
    } else {
      buf.asFloatBuffer().get(data);
    }
    return Tensor.of(data, shape);
  }
}
