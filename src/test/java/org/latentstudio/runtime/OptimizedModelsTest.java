package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/**
 * Compiled models as ONNX Runtime optimised them, saved and opened again by a later runtime (a later start): the
 * same outputs, a damaged entry rebuilt, and the budget kept by dropping the least recently used. Run on the
 * shapes pack's compiled VAE decoder, with the size floor lowered so that a small model counts.
 */
class OptimizedModelsTest {
  @TempDir
  Path tmp;

  private float[] decode(OptimizedModels saved) throws Exception {
    try (OrtRuntime runtime = new OrtRuntime(RuntimeSettings.defaults().withCuda(false))) {
      runtime.keepOptimized(saved);
      SdModel model = SdModels.open(TestModels.shapesPack(), null, new GraphCache(tmp.resolve("graphs")),
          OrtRuntime.compileOptions(() -> runtime));
      try (ModelLease lease = runtime.open(model.vaeDecoder())) {
        OnnxModel decoder = lease.model();
        String input = decoder.inputNames().iterator().next();
        String output = decoder.outputNames().iterator().next();
        return decoder.run(new ModelInputs().floats(input, OrtRuntimeTest.random(7, 1, 4, 8, 8)), output).get(output)
            .data();
      }
    }
  }

  /** Saves an entry of 100 bytes for {@code key}, as a session build would. */
  private static void save(OptimizedModels models, String key) throws Exception {
    OptimizedModels.Staged s = models.stage(key);
    Files.write(s.model(), new byte[20]);
    Files.write(s.folder().resolve(OptimizedModels.WEIGHTS), new byte[80]);
    models.commit(s);
  }

  /** Models under {@code budget} holding entries "old" and "recent" of 100 bytes each, "old" used a minute ago. */
  private static OptimizedModels oldAndRecent(Path dir, long budget) throws Exception {
    OptimizedModels models = new OptimizedModels(dir, budget, 0);
    save(models, "old");
    save(models, "recent");
    Files.setLastModifiedTime(models.find("old").getParent(), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    return models;
  }

  private List<Path> entries(Path dir) throws Exception {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void aLaterRuntimeOpensTheSavedModelWithTheSameOutputs() throws Exception {
    Path dir = tmp.resolve("sessions");
    OptimizedModels first = new OptimizedModels(dir, 1L << 30, 0);
    float[] built = decode(first);
    assertEquals(0, first.opened());
    assertEquals(1, entries(dir).size(), "the decoder was saved");
    try (Stream<Path> all = Files.list(dir)) {
      assertTrue(all.allMatch(p -> !p.getFileName().toString().startsWith(".")), "no staging folder left");
    }

    OptimizedModels later = new OptimizedModels(dir, 1L << 30, 0);
    assertArrayEquals(built, decode(later));
    assertEquals(1, later.opened(), "opened from the saved model");

    // a damaged entry (its weights cut short) is dropped and saved again
    Path weights = entries(dir).get(0).resolve(OptimizedModels.WEIGHTS);
    Files.write(weights, new byte[16]);
    OptimizedModels afterDamage = new OptimizedModels(dir, 1L << 30, 0);
    assertArrayEquals(built, decode(afterDamage));
    assertTrue(Files.size(entries(dir).get(0).resolve(OptimizedModels.WEIGHTS)) > 16, "saved again whole");
  }

  @Test
  void smallModelsAndAZeroBudgetSaveNothing() throws Exception {
    Path dir = tmp.resolve("sessions");
    float[] plain = decode(new OptimizedModels(dir, 0, 0));
    assertArrayEquals(plain, decode(OptimizedModels.ofLargeModels(dir, 1L << 30)));
    assertFalse(Files.exists(dir) && !entries(dir).isEmpty(), "nothing saved");
  }

  @Test
  void theLeastRecentlyUsedEntriesGoBeyondTheBudget() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sessions"));
    OptimizedModels models = oldAndRecent(dir, 250);
    assertEquals(2, entries(dir).size(), "200 bytes fit 250");
    save(models, "new");
    assertEquals(2, entries(dir).size());
    assertEquals(null, models.find("old"), "the least recently used went");
    assertTrue(models.find("recent") != null && models.find("new") != null);
  }

  /** A budget lowered in Preferences frees the disk at once: the least recently used go, all of them for 0. */
  @Test
  void trimmingToASmallerBudgetDropsTheLeastRecentlyUsedAtOnce() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sessions"));
    OptimizedModels models = oldAndRecent(dir, 1000);
    new OptimizedModels(dir, 150, 0).trim();
    assertEquals(List.of(models.find("recent").getParent()), entries(dir), "one of 100 bytes fits 150");
    new OptimizedModels(dir, 0, 0).trim();
    assertTrue(entries(dir).isEmpty(), "a budget of 0 keeps none");
  }
}
