package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.lora.LoraFile;
import org.latentstudio.lora.LoraMatch;
import org.latentstudio.lora.LoraMatcher;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.testing.TestModels;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;

/**
 * The merge itself: W + s·(alpha/r)·up·down lands in exactly the weights a LoRA names, and nowhere else. The
 * expected weights were computed by torch with PEFT's own formulas (up @ down for a Linear and a 1×1 conv,
 * conv2d(down.permute(1, 0, 2, 3), up) for a 3×3 LoCon) at strength 0.7, in src/python/lora/make_lora_parity.py.
 */
class LoraMergeTest extends RuntimeTest {
  static final Path DIR = TestModels.resources().resolve("lora");
  static final Path TINY_DIFFUSERS = TestModels.resources().resolve("models/tiny-sd-diffusers");

  @TempDir
  static Path tmp;

  static Map<String, float[]> expected() throws Exception {
    Map<String, float[]> out = new HashMap<>();
    for (StoredTensor t : SafetensorsFile.open(DIR.resolve("tiny_a_merged.safetensors")).tensors().byName()
        .values()) {
      out.put(t.name(), t.readFloats());
    }
    return out;
  }

  static List<WeightOverrides.Merged> merge(ModelSource unet, double strength) throws Exception {
    LoraMatch m = LoraMatcher.match(LoraFile.read(DIR.resolve("tiny_a_kohya.safetensors")),
        runtime.loraTargets(unet, LoraPart.UNET), null);
    return runtime.weightOverrides().merge(unet.key(), runtime.weights(unet),
        List.of(LoraPatch.of(m, LoraPart.UNET, strength)), null);
  }

  static float[] floats(WeightOverrides.Merged m) {
    float[] v = new float[(int) m.weight().elements()];
    m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    float scale = 0;
    float worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= 1e-6f * scale, what + ": max |diff| " + worst + " of " + scale);
  }

  @Test
  void linearOneByOneAndThreeByThreeWeightsOfACompiledGraph() throws Exception {
    SdModel model = SdModels.open(TINY_DIFFUSERS, null, new GraphCache(tmp.resolve("graphs")),
        CompileOptions.cpu());
    Map<String, float[]> expected = expected();
    List<WeightOverrides.Merged> merged = merge(model.unet(), 0.7);
    Map<String, WeightOverrides.Merged> byName = new HashMap<>();
    merged.forEach(m -> byName.put(m.weight().initializer(), m));
    for (var e : expected.entrySet()) {
      WeightOverrides.Merged m = byName.get(e.getKey());
      assertTrue(m != null, e.getKey() + " must be merged");
      assertEquals(false, m.weight().transposed());
      assertClose(e.getValue(), floats(m), e.getKey());
    }
    // exactly the weights the LoRA names: one per UNet layer of the file, each under its own parameter name
    LoraFile file = LoraFile.read(DIR.resolve("tiny_a_kohya.safetensors"));
    long unetLayers = file.layers().stream().filter(l -> l.part() == LoraPart.UNET).count();
    assertEquals(unetLayers, merged.size());
    assertEquals(unetLayers, byName.size());
  }

  /** A torch export stores Linear weights transposed under onnx::MatMul names; the merge must transpose too. */
  @Test
  void theSameWeightsOfAnOnnxExportFoundThroughTheirNodes() throws Exception {
    ModelSource unet = ModelFolder.open(TestModels.tinySd()).toModel().unet();
    Map<String, float[]> expected = expected();
    Map<String, WeightOverrides.Merged> byParam = new HashMap<>();
    merge(unet, 0.7).forEach(m -> byParam.put(m.weight().param(), m));
    for (var e : expected.entrySet()) {
      WeightOverrides.Merged m = byParam.get(e.getKey());
      assertTrue(m != null, e.getKey() + " must be merged");
      float[] want = e.getValue();
      if (m.weight().transposed()) {
        assertTrue(m.weight().initializer().startsWith("onnx::MatMul"), m.weight().initializer());
        long[] d = m.weight().dims(); // [in, out]
        want = transpose(want, (int) d[1], (int) d[0]);
      }
      assertClose(want, floats(m), e.getKey() + " (" + m.weight().initializer() + ")");
    }
    assertTrue(byParam.get("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight").weight().transposed(),
        "the export keeps to_k transposed");
  }

  @Test
  void strengthZeroMergesToTheStoredWeights() throws Exception {
    SdModel model = SdModels.open(TINY_DIFFUSERS, null, new GraphCache(tmp.resolve("graphs")),
        CompileOptions.cpu());
    for (WeightOverrides.Merged m : merge(model.unet(), 0.0)) {
      assertEquals(GraphWeights.stored(m.weight(), null), m.data(), m.weight().initializer());
    }
  }

  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
