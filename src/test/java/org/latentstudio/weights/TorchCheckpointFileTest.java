package org.latentstudio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentstudio.testing.Resources;

/**
 * Checkpoints written by torch 1.13 ({@code src/python/weights/make_pickle_fixtures.py}): every tensor must come
 * back with torch's dtype, shape and values, at the bytes the script found by reading the zip's local headers;
 * every file the reader must refuse must be refused with a message that names the problem.
 */
class TorchCheckpointFileTest {
  private static final JsonNode FIXTURES = Resources.json("weights/pickle/fixtures.json");

  @TempDir
  Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(TorchCheckpointFileTest.class.getResource("/weights/pickle/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String> readable() {
    List<String> names = new ArrayList<>();
    FIXTURES.get("readable").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  static Stream<String> refused() {
    List<String> names = new ArrayList<>();
    FIXTURES.get("refused").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("readable")
  void everyTensorIsFoundWhereTorchWroteItWithItsValues(String name) throws Exception {
    JsonNode expected = FIXTURES.get("readable").get(name);
    WeightSet tensors = TorchCheckpointFile.open(fixture(name)).tensors();

    List<String> expectedNames = new ArrayList<>();
    expected.get("tensors").forEach(t -> expectedNames.add(t.get("name").asText()));
    assertEquals(expectedNames, new ArrayList<>(tensors.names()), "names in the state dict's order");
    for (JsonNode e : expected.get("tensors")) {
      String tensorName = e.get("name").asText();
      StoredTensor t = tensors.find(tensorName).orElseThrow();
      assertEquals(DType.valueOf(e.get("dtype").asText()), t.dtype(), tensorName);
      assertArrayEquals(longs(e.get("shape")), t.shape(), tensorName);
      assertEquals(e.get("offset").asLong(), t.offset(), tensorName + ": absolute offset");
      assertEquals(e.get("length").asLong(), t.length(), tensorName + ": byte length");
      assertEquals(e.get("hex").asText(), HexFormat.of().formatHex(bytes(t)), tensorName + ": bytes");
      if (t.dtype().isFloatWeight()) {
        float[] values = t.readFloats();
        assertEquals(e.get("values").size(), values.length, tensorName);
        for (int i = 0; i < values.length; i++) {
          assertEquals((float) e.get("values").get(i).asDouble(), values[i], tensorName + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void int64PositionIdsReadAsTorchWroteThem() throws Exception {
    StoredTensor ids = TorchCheckpointFile.open(fixture("tiny.ckpt")).tensors().find("position_ids").orElseThrow();
    ByteBuffer b = ids.map();
    long[] values = new long[(int) ids.elements()];
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getLong(8 * i);
    }
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, values);
    assertArrayEquals(new long[] {1, 5}, ids.shape());
  }

  @Test
  void viewsOfOneStorageLieInOneEntryAtTheirOffsets() throws Exception {
    WeightSet t = TorchCheckpointFile.open(fixture("tiny.ckpt")).tensors();
    long a = t.find("shared.a").orElseThrow().offset();
    assertEquals(8 * 4, t.find("shared.b").orElseThrow().offset() - a, "shared[8:20] starts 8 floats in");
    assertEquals(21 * 4, t.find("shared.c").orElseThrow().offset() - a, "shared[21:23] starts 21 floats in");
    assertArrayEquals(new float[] {7.5f, 8.0f}, t.find("shared.c").orElseThrow().readFloats());
  }

  @Test
  void theZip64EndRecordIsFollowedWhenTheClassicOneIsFull() throws Exception {
    // torch writes 0xFFFF and 0xFFFFFFFF in the classic end record of a checkpoint over 4 GB, and the real
    // count, size and offset in the ZIP64 record; zip64.ckpt has both, so saturate the classic one
    byte[] b = Files.readAllBytes(fixture("zip64.ckpt"));
    ByteBuffer end = ByteBuffer.wrap(b, b.length - 22, 22).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x06054b50, end.getInt(0));
    end.putShort(8, (short) -1).putShort(10, (short) -1).putInt(12, -1).putInt(16, -1);
    Path file = Files.write(tmp.resolve("zip64-full.ckpt"), b);
    WeightSet expected = TorchCheckpointFile.open(fixture("zip64.ckpt")).tensors();
    WeightSet read = TorchCheckpointFile.open(file).tensors();
    assertEquals(expected.names(), read.names());
    for (String n : expected.names()) {
      assertEquals(expected.find(n).orElseThrow().offset(), read.find(n).orElseThrow().offset(), n);
    }
    b[b.length - 22 - 20] = 0; // the ZIP64 locator's signature, just before the classic end record
    assertMessage(Files.write(tmp.resolve("zip64-nolocator.ckpt"), b), "no ZIP64 locator");
  }

  @Test
  void anLdmCheckpointGivesItsStateDictAndTopLevelScalars() throws Exception {
    TorchCheckpointFile ckpt = TorchCheckpointFile.open(fixture("ldm.ckpt"));
    Map<String, String> expected = new LinkedHashMap<>();
    FIXTURES.get("readable").get("ldm.ckpt").get("metadata").fields()
        .forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
    assertEquals(expected, ckpt.metadata(), "global_step, epoch, lr... as Python prints them");
    assertEquals("470000", ckpt.metadata().get("global_step"));
    assertTrue(ckpt.tensors().has("2.num_batches_tracked"), "names are the state dict's, without 'state_dict.'");
    assertEquals(DType.I64, ckpt.tensors().find("2.num_batches_tracked").orElseThrow().dtype());
  }

  @Test
  void aParameterIsReadAsItsTensor() throws Exception {
    StoredTensor p = TorchCheckpointFile.open(fixture("tiny.ckpt")).tensors().find("param").orElseThrow();
    assertEquals(DType.F32, p.dtype());
    assertArrayEquals(new long[] {3}, p.shape());
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusedFilesSayWhy(String name) {
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchCheckpointFile.open(fixture(name)));
    String because = FIXTURES.get("refused").get(name).asText();
    assertTrue(e.getMessage().contains(because), "'" + because + "' in: " + e.getMessage());
    assertTrue(e.getMessage().contains(name), "names the file: " + e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("refused")
  void aGlobalOutsideTheAllowListRefusesTheFileWithItsNameAndTheWayOut(String name) {
    if (!name.startsWith("evil-")) {
      return;
    }
    String global = FIXTURES.get("refused").get(name).asText();
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchCheckpointFile.open(fixture(name)));
    assertTrue(e.getMessage().contains("refers to the Python global '" + global + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("may carry code"), e.getMessage());
    assertTrue(e.getMessage().contains("Use the model's .safetensors version"), e.getMessage());
    assertTrue(e.getMessage().contains(TorchCheckpointFile.conversion(fixture(name), false)), e.getMessage());
  }

  @Test
  void theLegacyFormatIsRefusedWithTheSafeConversion() {
    WeightFileException e = assertThrows(WeightFileException.class,
        () -> TorchCheckpointFile.open(fixture("legacy.ckpt")));
    assertTrue(e.getMessage().contains("_use_new_zipfile_serialization=False"), e.getMessage());
    assertTrue(e.getMessage().contains(TorchCheckpointFile.conversion(fixture("legacy.ckpt"), true)), e.getMessage());
  }

  @Test
  void theConversionCommandNamesTheFileWhenTheShellCanTakeIt() {
    assertTrue(TorchCheckpointFile.conversion(Path.of("/models/v1-5.ckpt"), true).contains(
        "torch.load('/models/v1-5.ckpt', map_location='cpu', weights_only=True)"));
    assertTrue(TorchCheckpointFile.conversion(Path.of("/models/v1-5.ckpt"), true).endsWith(
        "'/models/v1-5.safetensors')\""));
    assertTrue(TorchCheckpointFile.conversion(Path.of("/models/it's $HOME.ckpt"), false).contains(
        "torch.load('model.ckpt', map_location='cpu', weights_only=False)"));
  }

  @Test
  void aNonContiguousTensorIsNamedWithTheFix() {
    WeightFileException e = assertThrows(WeightFileException.class,
        () -> TorchCheckpointFile.open(fixture("noncontiguous.ckpt")));
    assertTrue(e.getMessage().contains("tensor 'transposed' (float32 [3, 2])"), e.getMessage());
    assertTrue(e.getMessage().contains("strides are [1, 3]"), e.getMessage());
    assertTrue(e.getMessage().contains(".contiguous()"), e.getMessage());
  }

  @Test
  void missingEmptyAndForeignFilesAreRefused() throws IOException {
    assertMessage(tmp.resolve("nope.ckpt"), "does not exist");
    assertMessage(Files.write(tmp.resolve("empty.ckpt"), new byte[0]), "is empty");
    assertMessage(Files.write(tmp.resolve("model.ckpt"), "GGUF and more".getBytes()),
        "is not a PyTorch checkpoint");
    byte[] safetensors = new byte[8 + 2];
    safetensors[0] = 2;
    safetensors[8] = '{';
    safetensors[9] = '}';
    assertMessage(Files.write(tmp.resolve("renamed.ckpt"), safetensors), "is a safetensors file");
    assertMessage(TorchZips.zip(tmp.resolve("other.zip"), Map.of("readme.txt", new byte[3])),
        "no <folder>/data.pkl");
  }

  @Test
  void aStorageThatIsNotInTheArchiveIsNamed() throws IOException {
    byte[] pickle = PickleWriter.proto(2).op('}', '(').str("w")
        .tensor("FloatStorage", "7", 4, 0, new long[] {4}, new long[] {1}).op('u').stop();
    Path file = TorchZips.write(tmp.resolve("missing.ckpt"), pickle, Map.of());
    assertMessage(file, "tensor 'w' (float32 [4]) is in storage 7, but the file has no entry archive/data/7");
  }

  @Test
  void aTensorPastTheEndOfItsStorageIsRefused() throws IOException {
    byte[] pickle = PickleWriter.proto(2).op('}', '(').str("w")
        .tensor("FloatStorage", "0", 4, 2, new long[] {3}, new long[] {1}).op('u').stop();
    Path file = TorchZips.write(tmp.resolve("past.ckpt"), pickle, Map.of("0", new byte[16]));
    assertMessage(file, "tensor 'w' (float32 [3]) reaches past the end of its storage (offset 2 + 3 values > 4)");
  }

  @Test
  void aStorageWhoseEntryHasTheWrongSizeIsRefused() throws IOException {
    byte[] pickle = PickleWriter.proto(2).op('}', '(').str("w")
        .tensor("HalfStorage", "0", 4, 0, new long[] {4}, new long[] {1}).op('u').stop();
    Path file = TorchZips.write(tmp.resolve("size.ckpt"), pickle, Map.of("0", new byte[16]));
    assertMessage(file, "declared as 4 float16 values (8 bytes), but its zip entry holds 16 bytes");
  }

  @Test
  void aDictThatHoldsItselfIsRefusedNotFollowedForever() throws IOException {
    // d = {}; d['w'] = tensor; d['self'] = d
    byte[] pickle = PickleWriter.proto(2).op('}').op('q', 0).str("w")
        .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s')
        .str("self").op('h', 0).op('s').stop();
    Path file = TorchZips.write(tmp.resolve("cycle.ckpt"), pickle, Map.of("0", new byte[4]));
    assertMessage(file, "inside themselves");
  }

  @Test
  void dictsSharedAlongManyPathsAreWalkedWithinABound() throws IOException {
    // d30 = {'w': tensor}; d_k = {'a': d_k+1, 'b': d_k+1}: 2^30 paths to one tensor from 31 small dicts
    PickleWriter w = PickleWriter.proto(2).op('}').str("w")
        .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s').op('q', 30);
    for (int k = 29; k >= 0; k--) {
      w.op('}').str("a").op('h', k + 1).op('s').str("b").op('h', k + 1).op('s').op('q', k);
    }
    Path file = TorchZips.write(tmp.resolve("dag.ckpt"), w.stop(), Map.of("0", new byte[4]));
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertMessage(file, "reaches more than"));
    // the same dict under two names is fine: both names are tensors
    byte[] twice = PickleWriter.proto(2).op('}').str("w")
        .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s').op('q', 0)
        .op('}').str("model").op('h', 0).op('s').str("model_ema").op('h', 0).op('s').stop();
    WeightSet t = assertDoesNotThrow(() -> TorchCheckpointFile.open(
        TorchZips.write(tmp.resolve("twice.ckpt"), twice, Map.of("0", new byte[4]))).tensors());
    assertEquals(List.of("model.w", "model_ema.w"), new ArrayList<>(t.names()));
  }

  @Test
  void aPickleOfSomethingElseThanADictIsRefused() throws IOException {
    Path file = TorchZips.write(tmp.resolve("list.ckpt"), PickleWriter.proto(2).op(']').stop(), Map.of());
    assertMessage(file, "holds a list, not a state dict");
    Path none = TorchZips.write(tmp.resolve("none.ckpt"), PickleWriter.proto(2).op('}').stop(), Map.of());
    assertMessage(none, "holds no tensors");
  }

  @Test
  void aCorruptedPickleIsCalledDamagedWithItsByte() throws IOException {
    byte[] pickle = PickleWriter.proto(2).op('}', '(').str("w").str("v").op('u', 'u').stop();
    Path file = TorchZips.write(tmp.resolve("broken.ckpt"), pickle, Map.of());
    assertMessage(file, "is damaged: its pickle (archive/data.pkl, byte 17) ends a MARK it never set");
  }

  private static void assertMessage(Path file, String expected) {
    WeightFileException e = assertThrows(WeightFileException.class, () -> TorchCheckpointFile.open(file));
    assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toAbsolutePath().normalize().toString()), e.getMessage());
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static byte[] bytes(StoredTensor t) throws IOException {
    ByteBuffer b = t.map();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
