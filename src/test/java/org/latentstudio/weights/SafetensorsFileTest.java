package org.latentstudio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.SafetensorsWriter;

/** The safetensors reader on good files and on every kind of damage the issue lists, each named in the message. */
class SafetensorsFileTest {
  @TempDir
  Path tmp;

  private static SafetensorsWriter sample() {
    return new SafetensorsWriter()
        .f32("w", new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f, -7f}, 2, 3)
        .f16("h", new float[] {0.5f, -1.25f, 65504f, 1e-4f}, 4)
        .bf16("b", new float[] {1f, -3.5f, 256f}, 3, 1)
        .meta("format", "pt").meta("ss_network_dim", "8");
  }

  @Test
  void readsF32F16Bf16AndTheMetadata() throws Exception {
    SafetensorsFile f = SafetensorsFile.open(sample().write(tmp.resolve("ok.safetensors")));
    assertEquals(3, f.tensors().size());
    assertEquals("pt", f.metadata().get("format"));
    assertEquals("8", f.metadata().get("ss_network_dim"));
    StoredTensor w = f.tensors().find("w").orElseThrow();
    assertEquals(DType.F32, w.dtype());
    assertArrayEquals(new long[] {2, 3}, w.shape());
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f, -7f}, w.readFloats());
    float[] h = f.tensors().find("h").orElseThrow().readFloats();
    assertEquals(0.5f, h[0]);
    assertEquals(-1.25f, h[1]);
    assertEquals(65504f, h[2]);
    assertEquals(Float.float16ToFloat(Float.floatToFloat16(1e-4f)), h[3]);
    assertArrayEquals(new float[] {1f, -3.5f, 256f}, f.tensors().find("b").orElseThrow().readFloats());
    // the offset is absolute and points at the tensor's bytes
    ByteBuffer mapped = w.map();
    assertEquals(1.5f, mapped.getFloat(0));
    byte[] all = Files.readAllBytes(tmp.resolve("ok.safetensors"));
    assertEquals(1.5f, ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getFloat((int) w.offset()));
  }

  /** Files over 2 GiB: offsets past Integer.MAX_VALUE work because each tensor is mapped on its own. */
  @Test
  void readsATensorStoredPastTwoGigabytes() throws Exception {
    long gap = (2L << 30) + 4096;
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
        + "\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = tmp.resolve("big.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      raf.write(len.array());
      raf.write(h);
      raf.seek(8 + h.length + gap);
      ByteBuffer x = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(42f).putFloat(-1f);
      raf.write(x.array()); // the file is sparse: the 2 GiB before it take no disk
    }
    StoredTensor x = SafetensorsFile.open(file).tensors().find("x").orElseThrow();
    assertTrue(x.offset() > Integer.MAX_VALUE);
    assertArrayEquals(new float[] {42f, -1f}, x.readFloats());
  }

  private String refusal(byte[] bytes) throws IOException {
    Path file = tmp.resolve("bad.safetensors");
    Files.write(file, bytes);
    WeightFileException e = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void aTruncatedFileIsCalledTruncated() throws Exception {
    byte[] ok = sample().bytes();
    assertTrue(refusal(Arrays.copyOf(ok, ok.length - 3)).contains("truncated"));
    assertTrue(refusal(Arrays.copyOf(ok, 5)).contains("too short"));
  }

  @Test
  void aHeaderLengthPastTheEndOfTheFile() throws Exception {
    byte[] b = sample().bytes();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, b.length + 100L);
    assertTrue(refusal(b).contains("past the end of the file"));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -5);
    assertTrue(refusal(b).contains("not a safetensors file"));
  }

  @Test
  void aCorruptJsonHeader() throws Exception {
    SafetensorsWriter w = sample();
    String json = w.headerJson();
    assertTrue(refusal(w.bytes(json.substring(0, json.length() - 5) + "!!!!}")).contains("not valid JSON"));
    assertTrue(refusal(w.bytes("[1,2,3]")).contains("JSON object"));
    // a duplicated key is two different claims about one tensor
    assertTrue(refusal(w.bytes(json.replace("\"h\":", "\"w\":"))).contains("not valid JSON"));
  }

  @Test
  void offsetsOutOfRangeOrOverlapping() throws Exception {
    SafetensorsWriter w = new SafetensorsWriter().f32("a", new float[4], 4).f32("b", new float[4], 4);
    String ok = w.headerJson();
    assertTrue(refusal(w.bytes(ok.replace("[16,32]", "[8,24]"))).contains("overlap"));
    String past = refusal(w.bytes(ok.replace("\"shape\":[4],\"data_offsets\":[16,32]",
        "\"shape\":[8],\"data_offsets\":[16,48]")));
    assertTrue(past.contains("truncated") && past.contains("'b' ends at byte 48"), past);
    assertTrue(refusal(w.bytes(ok.replace("[16,32]", "[24,40]"))).contains("bytes 16-24 of the data belong to no tensor"));
    assertTrue(refusal(w.bytes(ok.replace("[0,16]", "[16,0]"))).contains("before it begins"));
    assertTrue(refusal(w.bytes(ok.replace("[16,32]", "[16,-32]"))).contains("non-negative"));
  }

  @Test
  void anUnknownDtypeIsNamed() throws Exception {
    String m = refusal(new SafetensorsWriter().raw("t", "F12", new long[] {2}, 4).bytes());
    assertTrue(m.contains("unknown dtype 'F12'") && m.contains("'t'"), m);
  }

  @Test
  void shapeAndByteCountThatDisagree() throws Exception {
    String m = refusal(new SafetensorsWriter().raw("t", "F32", new long[] {3, 3}, 16).bytes());
    assertTrue(m.contains("'t'") && m.contains("36 bytes") && m.contains("hold 16"), m);
  }

  @Test
  void metadataMustBeStrings() throws Exception {
    SafetensorsWriter w = new SafetensorsWriter().f32("a", new float[1], 1);
    assertTrue(refusal(w.bytes("{\"__metadata__\":{\"n\":3}," + w.headerJson().substring(1)))
        .contains("__metadata__"));
  }
}
