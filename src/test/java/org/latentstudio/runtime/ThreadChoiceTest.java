package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/**
 * The thread count a session gets when the user leaves it to us: one thread for small models, one
 * per physical core for full-size ones (README, Performance: SD1.5 ran 1.9× faster with two threads here), and
 * the user's number whenever one is set; and which models' weights are re-packed as their session is made.
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
      assertEquals(1, r.threadsFor(ModelSource.of(TestModels.tinySd().resolve("unet/model.onnx"))));
      assertEquals(Cores.physical(), r.threadsFor(ModelSource.of(largeModel())));
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
      assertEquals(3, r.threadsFor(ModelSource.of(TestModels.tinySd().resolve("unet/model.onnx"))));
      assertEquals(3, r.threadsFor(ModelSource.of(largeModel())));
    }
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
