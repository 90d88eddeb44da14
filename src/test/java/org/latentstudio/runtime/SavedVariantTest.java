package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.lora.LoraFile;
import org.latentstudio.lora.LoraMatcher;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.testing.SafetensorsWriter;
import org.latentstudio.testing.TestModels;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;

/**
 * A LoRA variant of a saved large model starts from the saved base with only the merged weights handed over, and
 * predicts exactly what the variant built afresh predicts: for fp32 weights (kept under their names) and fp16 ones
 * (folded casts, widened in Java). Tiny diffusers UNet and LoRA, the size floor of saving lowered to count them.
 */
class SavedVariantTest {
  @TempDir
  Path tmp;

  /** The UNet's prediction with the tiny kohya LoRA at {@code strength}; {@code saved} null saves nothing. */
  private float[] predict(Path folder, double strength, OptimizedModels saved) throws Exception {
    try (OrtRuntime runtime = new OrtRuntime(RuntimeSettings.defaults().withCuda(false))) {
      runtime.keepOptimized(saved);
      SdModel model = SdModels.open(folder, null, new GraphCache(tmp.resolve("graphs")),
          OrtRuntime.compileOptions(() -> runtime));
      LoraPatch patch = LoraPatch.of(LoraMatcher.match(LoraFile.read(LoraMergeTest.DIR.resolve(
          "tiny_a_kohya.safetensors")), runtime.loraTargets(model.unet(), LoraPart.UNET), null), LoraPart.UNET,
          strength);
      try (UNet unet = UNet.open(runtime, model.unet().withLoras(List.of(patch)))) {
        return unet.predict(OrtRuntimeTest.random(11, 2, 4, 8, 8), 500f, OrtRuntimeTest.random(12, 2, 77, 32)).data();
      }
    }
  }

  private void startsFromTheSavedBase(Path folder) throws Exception {
    float[] built = predict(folder, 0.7, null);
    Path dir = tmp.resolve("sessions-" + folder.getFileName());
    OptimizedModels first = new OptimizedModels(dir, 1L << 30, 0);
    assertArrayEquals(built, predict(folder, 0.7, first));
    assertEquals(1, first.opened(), "the variant was opened from the base, saved first");
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(1, entries.filter(p -> !p.getFileName().toString().startsWith(".")).count(),
          "the base is saved, not the variant");
    }
    OptimizedModels later = new OptimizedModels(dir, 1L << 30, 0);
    assertArrayEquals(predict(folder, 0.3, null), predict(folder, 0.3, later), "another strength, a later start");
    assertEquals(1, later.opened());
  }

  @Test
  void fp32Weights() throws Exception {
    startsFromTheSavedBase(LoraMergeTest.TINY_DIFFUSERS);
  }

  @Test
  void fp16Weights() throws Exception {
    Path folder = TestModels.copyOf(LoraMergeTest.TINY_DIFFUSERS, tmp.resolve("tiny-fp16"));
    Path unet = folder.resolve("unet/diffusion_pytorch_model.safetensors");
    SafetensorsWriter half = new SafetensorsWriter();
    for (StoredTensor t : SafetensorsFile.open(unet).tensors().byName().values()) {
      half.f16(t.name(), t.readFloats(), t.shape());
    }
    half.write(unet);
    assertTrue(Files.size(unet) < Files.size(LoraMergeTest.TINY_DIFFUSERS.resolve(
        "unet/diffusion_pytorch_model.safetensors")), "stored as fp16");
    startsFromTheSavedBase(folder);
  }
  @Test
  void aDamagedSavedBaseFallsBackToTheFullBuild() throws Exception {
    Path folder = LoraMergeTest.TINY_DIFFUSERS;
    Path dir = tmp.resolve("sessions");
    float[] built = predict(folder, 0.7, null);
    predict(folder, 0.7, new OptimizedModels(dir, 1L << 30, 0));
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        Files.write(entry.resolve(OptimizedModels.WEIGHTS), new byte[16]); // cut short
      }
    }
    OptimizedModels damaged = new OptimizedModels(dir, 1L << 30, 0);
    assertArrayEquals(built, predict(folder, 0.7, damaged), "the same prediction, built in full");
    assertEquals(0, damaged.opened());
  }
}
