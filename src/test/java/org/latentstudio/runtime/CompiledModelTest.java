package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.TestModels;

/** The bundled pack through the compiler: graph cache, session identity, the VAE's own downscale. */
class CompiledModelTest extends RuntimeTest {

  @TempDir
  Path tmp;

  private static List<ModelSource.Compiled> parts(SdModel m) throws ModelException {
    return Stream.of(m.textEncoder(), m.unet(), m.vaeDecoder(), m.vaeEncoder())
        .map(ModelSource.Compiled.class::cast).toList();
  }

  @Test
  void openingTheSameCheckpointAgainTakesItsGraphsFromTheCache() throws Exception {
    Path cacheDir = tmp.resolve("graphs");
    GraphCache first = new GraphCache(cacheDir);
    SdModel a = SdModels.open(TestModels.shapesPack(), null, first, CompileOptions.cpu());
    assertEquals("diffusers folder", a.format());
    assertEquals(TestModels.shapesPack().resolve("tokenizer"), a.tokenizerDir());
    for (ModelSource.Compiled p : parts(a)) {
      p.graph().get();
    }
    assertEquals(4, first.builds());
    try (Stream<Path> files = Files.list(cacheDir)) {
      List<Path> graphs = files.toList();
      assertEquals(4, graphs.size());
      long total = graphs.stream().mapToLong(p -> p.toFile().length()).sum();
      assertTrue(total < 1_000_000, "graphs hold no weights: " + total + " bytes");
    }
    GraphCache second = new GraphCache(cacheDir);
    SdModel b = SdModels.open(TestModels.shapesPack(), null, second, CompileOptions.cpu());
    for (ModelSource.Compiled p : parts(b)) {
      p.graph().get();
    }
    assertEquals(0, second.builds(), "nothing rebuilt");
    assertEquals(4, second.hits());

    // damaged entries are rebuilt rather than handed to ONNX Runtime: one cut short, one with a byte changed
    try (Stream<Path> files = Files.list(cacheDir)) {
      List<Path> graphs = files.sorted().toList();
      Files.write(graphs.get(0), new byte[] {1, 2, 3, 4, 5});
      byte[] changed = Files.readAllBytes(graphs.get(1));
      changed[changed.length / 2] ^= 0x10;
      Files.write(graphs.get(1), changed);
    }
    GraphCache third = new GraphCache(cacheDir);
    SdModel c = SdModels.open(TestModels.shapesPack(), null, third, CompileOptions.cpu());
    for (ModelSource.Compiled p : parts(c)) {
      p.graph().get();
    }
    assertEquals(2, third.builds());
    assertEquals(2, third.hits());
  }

  @Test
  void theCompiledPackRunsAndKnowsItsVaeDownscale() throws Exception {
    SdModel m = SdModels.open(TestModels.shapesPack(), null, new GraphCache(tmp), CompileOptions.cpu());
    assertEquals(8, m.vaeDownscale(), "the pack's VAE has 4 levels");
    assertEquals(64, m.textHidden());
    assertEquals(64, m.crossAttnDim());
    assertEquals(607, m.textVocabSize());
    try (VaeDecoder dec = VaeDecoder.open(runtime, m)) {
      Tensor pixels = dec.decode(Tensor.zeros(1, 4, 8, 8));
      assertEquals(List.of(1, 3, 64, 64), java.util.Arrays.stream(pixels.shape()).boxed().toList());
    }
  }

  /** ONNX Runtime's fused MultiHeadAttention computes the same UNet as the spelt-out MatMul/Softmax/MatMul. */
  @Test
  void fusedAttentionGivesTheSamePrediction() throws Exception {
    SdModel plain = SdModels.open(TestModels.shapesPack(), null, new GraphCache(tmp), CompileOptions.cpu());
    SdModel fused = SdModels.open(TestModels.shapesPack(), null, new GraphCache(tmp), new CompileOptions(false, true));
    assertNotEquals(plain.unet().key(), fused.unet().key());
    Tensor x = OrtRuntimeTest.random(3, 2, 4, 8, 8);
    Tensor c = OrtRuntimeTest.random(4, 2, 77, 64);
    try (UNet a = UNet.open(runtime, plain); UNet b = UNet.open(runtime, fused)) {
      Tensor pa = a.predict(x, 500f, c);
      Tensor pb = b.predict(x, 500f, c);
      assertTrue(pa.maxAbsDiff(pb) < 1e-4, "max diff " + pa.maxAbsDiff(pb));
    }
  }

  @Test
  void eachTextEncoderLayerIsItsOwnSession() throws Exception {
    SdModel m = SdModels.open(TestModels.shapesPack(), null, new GraphCache(tmp), CompileOptions.cpu());
    ModelSource last = m.text().stoppingAt(-1);
    ModelSource skip = m.text().stoppingAt(-2);
    assertNotEquals(last.key(), skip.key());
    assertEquals(last.key(), m.textEncoder().key(), "the same variant is the same session");
    long[] ids = new long[77];
    java.util.Arrays.fill(ids, 606);
    ids[0] = 605;
    try (TextEncoder a = TextEncoder.open(runtime, last); TextEncoder b = TextEncoder.open(runtime, skip)) {
      assertTrue(a.encode(ids, 1).maxAbsDiff(b.encode(ids, 1)) > 1e-3, "stopping a layer early changes the output");
    }
    ModelSource.Compiled tooFar = (ModelSource.Compiled) m.text().stoppingAt(-3);
    ModelException e = assertThrows(ModelException.class, () -> tooFar.graph().get());
    assertTrue(e.getMessage().contains("outside -1 .. -2"), e.getMessage());
  }
}
