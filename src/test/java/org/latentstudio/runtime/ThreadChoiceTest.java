package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/**
 * The thread count a session gets when the user leaves it to us: one thread for small models, one per physical
 * core for full-size ones (README, Performance: SD1.5 ran 1.9× faster with two threads here) and for a small
 * model's calls on large latents, and the user's number whenever one is set; and which models' weights are
 * re-packed as their session is made.
 */
class ThreadChoiceTest {
  @TempDir
  Path tmp;

  /** A folder whose model.onnx has 40 MB of (sparse) weights beside it, as a full-size export has gigabytes. */
  private Path largeModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("large"));
    Files.write(dir.resolve("model.onnx"), new byte[16]);
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.onnx_data").toFile(), "rw")) {
      f.setLength(40L << 20);
    }
    return dir.resolve("model.onnx");
  }

  @Test
  void smallModelsGetOneThreadAndLargeOnesACoreEach() throws Exception {
    try (OrtRuntime r = new OrtRuntime(RuntimeSettings.defaults().withCuda(false))) {
      assertEquals(1, r.threadsFor(tinyUNet(), Map.of()));
      assertEquals(Cores.physical(), r.threadsFor(ModelSource.of(largeModel()), Map.of()));
    }
  }

  /**
   * A small model's session for calls on a latent of 16×16 or more (a 128² image), and a VAE's at any size (its
   * work is at the picture's size), gets a core each: its convolutions then split well (the shapes pack at 256²:
   * 0.70 s an image with two threads against 0.99 s).
   */
  @Test
  void aSmallModelsSessionForLargeCallsGetsACoreEach() throws Exception {
    try (OrtRuntime r = new OrtRuntime(RuntimeSettings.defaults().withCuda(false))) {
      assertEquals(1, r.threadsFor(tinyUNet(), UNet.callDims(2, 8, 8, 77)), "a 64² image");
      assertEquals(1, r.threadsFor(tinyUNet(), UNet.callDims(2, 15, 16, 77)), "120 × 128");
      assertEquals(Cores.physical(), r.threadsFor(tinyUNet(), UNet.callDims(1, 16, 16, 77)), "a 128² image");
      assertEquals(Cores.physical(), r.threadsFor(tinyUNet(), VaeDecoder.callDims(1, 8, 8)),
          "a VAE decoder works at the picture's size: 64² (7.1 ms a call with one thread, 5.6 with two)");
      assertEquals(Cores.physical(), r.threadsFor(tinyUNet(), Map.of("batch", 1L, "height", 64L, "width", 64L)),
          "a VAE encoder's picture");
      assertEquals(1, r.threadsFor(tinyUNet(), TextEncoder.callDims(2, 77)), "a text encoder's calls have no latent");
    }
  }

  /** Re-packing a full-size model's weights at session build cost seconds and memory and no step time. */
  @Test
  void onlySmallModelsHaveTheirWeightsRepackedAtSessionBuild() throws Exception {
    try (OrtRuntime r = new OrtRuntime(RuntimeSettings.defaults().withCuda(false).withThreads(3))) {
      assertTrue(r.prepacksWeights(ModelSource.of(TestModels.tinySd().resolve("unet/model.onnx"))));
      assertFalse(r.prepacksWeights(ModelSource.of(largeModel())));
    }
  }

  @Test
  void theUsersNumberWinsForEveryModel() throws Exception {
    try (OrtRuntime r = new OrtRuntime(RuntimeSettings.defaults().withCuda(false).withThreads(3))) {
      assertEquals(3, r.threadsFor(tinyUNet(), Map.of()));
      assertEquals(3, r.threadsFor(ModelSource.of(largeModel()), Map.of()));
    }
  }

  private static ModelSource tinyUNet() {
    return ModelSource.of(TestModels.tinySd().resolve("unet/model.onnx"));
  }

  @Test
  void hardwareThreadsOfOneCoreCountOnce() {
    List<String> twoCoresFourThreads = List.of(
        "processor\t: 0", "physical id\t: 0", "core id\t\t: 0",
        "processor\t: 1", "physical id\t: 0", "core id\t\t: 1",
        "processor\t: 2", "physical id\t: 0", "core id\t\t: 0",
        "processor\t: 3", "physical id\t: 0", "core id\t\t: 1");
    assertEquals(2, Cores.countCores(twoCoresFourThreads));
    List<String> twoSockets = List.of(
        "physical id\t: 0", "core id\t\t: 0", "physical id\t: 1", "core id\t\t: 0");
    assertEquals(2, Cores.countCores(twoSockets));
    assertEquals(0, Cores.countCores(List.of("processor\t: 0", "model name\t: ARM")));
  }
}
