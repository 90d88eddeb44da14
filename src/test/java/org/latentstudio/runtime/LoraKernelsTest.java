package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.lora.LoraLayer;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.testing.SafetensorsWriter;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;

/**
 * The LoRA arithmetic ONNX Runtime does for the merge: the delta of float16 and bfloat16 layers (the usual
 * downloads) in both weight layouts, and merges into float32, float16 and bfloat16 weights summed in float32 in
 * the LoRAs' order and rounded once, bit for bit as the same sums in Java. LoraMergeTest checks whole models
 * against torch; LoraParityTest whole pictures against diffusers.
 */
class LoraKernelsTest {
  private static LoraKernels kernels;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    kernels = new LoraKernels(OrtEnvironment.getEnvironment());
  }

  @AfterAll
  static void stop() {
    kernels.release();
  }

  private static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static LoraLayer layer(String file, SafetensorsWriter w, Float alpha) throws Exception {
    Path p = tmp.resolve(file);
    w.write(p);
    var byName = SafetensorsFile.open(p).tensors().byName();
    StoredTensor down = byName.get("down");
    StoredTensor up = byName.get("up");
    return new LoraLayer(file, LoraPart.UNET, "conv", false, down, up, alpha);
  }

  private static float[] floats(ByteBuffer b) {
    float[] v = new float[b.capacity() / 4];
    b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  @Test
  void theDeltaOfAHalfPrecisionConvLayerInBothLayouts() throws Exception {
    int out = 6;
    int rank = 4;
    int in = 5 * 3 * 3;
    Random r = new Random(1);
    float[] up = random(r, out * rank);
    float[] down = random(r, rank * in);
    LoraLayer l = layer("f16.safetensors", new SafetensorsWriter().f16("down", down, rank, 5, 3, 3)
        .bf16("up", up, out, rank, 1, 1), 3f);
    float[] delta = floats(kernels.delta(l, false));
    float[] transposed = floats(kernels.delta(l, true));
    assertEquals(out * in, delta.length);
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        double want = 0;
        for (int k = 0; k < rank; k++) {
          // the stored values: bfloat16 truncated up, float16 rounded down
          double u = Float.intBitsToFloat(Float.floatToIntBits(up[o * rank + k]) & 0xffff0000);
          want += u * Float.float16ToFloat(Float.floatToFloat16(down[k * in + i]));
        }
        want *= 3.0 / rank;
        assertEquals(want, delta[o * in + i], 1e-5, "delta[" + o + "," + i + "]");
        assertEquals(delta[o * in + i], transposed[i * out + o], "the [in, out] layout holds the same values");
      }
    }
  }

  @Test
  void alphaAndTheSamePowerOfTwoFoldedIntoUpGiveTheSameBits() throws Exception {
    Random r = new Random(2);
    float[] up = random(r, 8 * 2);
    float[] down = random(r, 2 * 7);
    float[] upTimesFour = up.clone();
    for (int i = 0; i < up.length; i++) {
      upTimesFour[i] *= 4;
    }
    LoraLayer withAlpha = layer("alpha.safetensors", new SafetensorsWriter().f32("down", down, 2, 7)
        .f32("up", up, 8, 2), 8f);
    LoraLayer folded = layer("folded.safetensors", new SafetensorsWriter().f32("down", down, 2, 7)
        .f32("up", upTimesFour, 8, 2), null);
    assertEquals(kernels.delta(folded, false), kernels.delta(withAlpha, false));
  }

  @Test
  void mergesSumInFloat32InOrderAndRoundOnceToTheWeightsType() throws Exception {
    int n = 1000;
    Random r = new Random(3);
    float[] w = random(r, n);
    float[] d0 = random(r, n);
    float[] d1 = random(r, n);
    float s0 = 0.7f;
    float s1 = -1.3f;
    for (int type : new int[] {1, 10, 16}) {
      ByteBuffer stored = ByteBuffer.allocateDirect(n * (type == 1 ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        switch (type) {
          case 1 -> stored.putFloat(4 * i, w[i]);
          case 10 -> stored.putShort(2 * i, Float.floatToFloat16(w[i]));
          default -> stored.putShort(2 * i, (short) (Float.floatToIntBits(w[i]) >>> 16));
        }
      }
      ByteBuffer merged = kernels.merge(stored, type, n, List.of(direct(d0), direct(d1)), new float[] {s0, s1});
      for (int i = 0; i < n; i++) {
        float base = switch (type) {
          case 1 -> stored.getFloat(4 * i);
          case 10 -> Float.float16ToFloat(stored.getShort(2 * i));
          default -> Float.intBitsToFloat(stored.getShort(2 * i) << 16);
        };
        float sum = base + s0 * d0[i];
        sum += s1 * d1[i];
        switch (type) {
          case 1 -> assertEquals(sum, merged.getFloat(4 * i), "float32 [" + i + "]");
          case 10 -> assertEquals(Float.floatToFloat16(sum), merged.getShort(2 * i), "float16 [" + i + "]");
          default -> assertEquals(bfloat16(sum), merged.getShort(2 * i), "bfloat16 [" + i + "] of " + sum);
        }
      }
    }
  }

  @Test
  void aWeightWhoseFileIsShortIsRefusedWithItsName() throws Exception {
    Path f = tmp.resolve("short.bin");
    java.nio.file.Files.write(f, new byte[10]);
    var w = new GraphWeights.Weight("unet.conv.weight", "conv.weight", new long[] {2, 3}, 1, false, f, 0, -1);
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> GraphWeights.stored(w,
        null));
    assertTrue(e.getMessage().contains("unet.conv.weight") && e.getMessage().contains("truncated"), e.getMessage());
  }

  private static ByteBuffer direct(float[] v) {
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b;
  }

  /** Round to nearest even, as torch converts float32 to bfloat16. */
  private static short bfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
  }
}
