package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;
import org.latentstudio.lora.LoraRuns.Lora;
import org.latentstudio.lora.LoraRuns.Run;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.WeightOverrides;

/**
 * What a LoRA change costs, counted: sessions built, deltas computed (one matrix product per LoRA layer) and
 * weights merged. Switching back to a LoRA set costs nothing; a strength change rebuilds the session but no delta,
 * and merges only the weights that LoRA touches.
 */
class LoraSwitchingTest {
  AppContext app;

  @TempDir
  Path out;

  int unetA;
  int textA;
  int unetB;
  int textB;

  @BeforeEach
  void start() throws Exception {
    app = new AppContext();
    JsonNode keys = new ObjectMapper().readTree(LoraRuns.DIR.resolve("cases.json").toFile()).get("keys");
    unetA = keys.get("a").get("unet").asInt();
    textA = keys.get("a").get("text_encoder").asInt();
    unetB = keys.get("b").get("unet").asInt();
    textB = keys.get("b").get("text_encoder").asInt();
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** Session loads, deltas computed and weights merged since the last call. */
  private final class Counts {
    int loads;
    int deltas;
    int merged;

    int[] since() {
      OrtRuntime r = app.runtime();
      WeightOverrides w = r.weightOverrides();
      int[] d = {r.modelLoads() - loads, w.deltasComputed() - deltas, w.weightsMerged() - merged};
      loads = r.modelLoads();
      deltas = w.deltasComputed();
      merged = w.weightsMerged();
      return d;
    }
  }

  private Run run(Lora... chain) throws Exception {
    return LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, List.of(chain));
  }

  @Test
  void switchingBackIsFreeAndAStrengthChangeMergesOnlyWhatItTouches() throws Exception {
    Lora a = Lora.of("tiny_a_kohya.safetensors", 1, 1);
    Lora b = Lora.of("tiny_b_kohya.safetensors", 1, 1);
    Counts c = new Counts();
    run();
    c.since();

    Run first = run(a);
    assertArrayEquals(new int[] {2, unetA + textA, unetA + textA}, c.since(), "A: UNet and text encoder built");

    run(Lora.of("tiny_a_kohya.safetensors", 0.5, 1));
    assertArrayEquals(new int[] {1, 0, unetA}, c.since(), "A's UNet strength changed: its deltas are reused");

    Run back = run(a);
    assertArrayEquals(new int[] {0, 0, 0}, c.since(), "back to A at 1: both sessions are still loaded");
    assertArrayEquals(first.latents().data(), back.latents().data());

    run(a, b);
    assertArrayEquals(new int[] {2, unetB + textB, unetB + textB}, c.since(),
        "B stacked on A: only B's layers are multiplied, only the weights B touches are merged");

    run(a, Lora.of("tiny_b_kohya.safetensors", 0.5, 1));
    assertArrayEquals(new int[] {1, 0, unetB}, c.since(), "B's UNet strength changed: A's weights are not merged again");

    run();
    assertArrayEquals(new int[] {0, 0, 0}, c.since(), "the model without LoRAs is still loaded");
  }

  @Test
  void sessionsEvictedForMemoryAreRebuiltFromTheCachedMerges() throws Exception {
    Lora a = Lora.of("tiny_a_kohya.safetensors", 1, 1);
    Counts c = new Counts();
    run(a);
    c.since();
    app.runtime().setSessionBudget(0); // nothing stays loaded after use
    run();
    run(a);
    int[] d = c.since();
    assertEquals(0, d[1], "no delta computed again");
    assertEquals(0, d[2], "no weight merged again");
    assertEquals(6, d[0], "both runs built their UNet, text encoder and VAE decoder again");
  }
}
