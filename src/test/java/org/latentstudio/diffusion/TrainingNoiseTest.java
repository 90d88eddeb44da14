package org.latentstudio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training noise tables kept per scheduler config are those the config gives, whichever was asked before. */
class TrainingNoiseTest {
  private static final SchedulerConfig SD15 =
      SchedulerConfig.of(Map.of("beta_schedule", "scaled_linear", "beta_start", 0.00085, "beta_end", 0.012));

  private static void assertTablesOf(SchedulerConfig cfg, BetaSchedules.ZeroSnr zeroSnr) {
    TrainingNoise kept = TrainingNoise.of(cfg, 0.0001, 0.02, zeroSnr);
    float[] alphasCumprod = BetaSchedules.alphasCumprod(cfg, 0.0001, 0.02, zeroSnr);
    assertArrayEquals(alphasCumprod, kept.alphasCumprod());
    assertArrayEquals(Sigmas.training(alphasCumprod), kept.trainingSigmas());
    assertArrayEquals(Sigmas.logs(Sigmas.training(alphasCumprod)), kept.logSigmas());
  }

  @Test
  void eachConfigGetsItsOwnTables() {
    SchedulerConfig other = SD15.with("beta_end", 0.02);
    SchedulerConfig zeroSnr = SD15.with("rescale_betas_zero_snr", true);
    for (int round = 0; round < 2; round++) { // the second round finds them kept, in another order
      assertTablesOf(SD15, BetaSchedules.ZeroSnr.RESCALE);
      assertTablesOf(other, BetaSchedules.ZeroSnr.RESCALE);
      assertTablesOf(zeroSnr, BetaSchedules.ZeroSnr.RESCALE);
      assertTablesOf(zeroSnr, BetaSchedules.ZeroSnr.RESCALE_AND_CLAMP_LAST);
      assertTablesOf(SchedulerConfig.of(Map.of("beta_schedule", "scaled_linear", "beta_start", 0.00085,
          "beta_end", 0.012)), BetaSchedules.ZeroSnr.RESCALE); // equal to SD15, not the same object
    }
    assertNotEquals(TrainingNoise.of(SD15, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE).trainingSigmas()[999],
        TrainingNoise.of(other, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE).trainingSigmas()[999]);
    assertEquals(1000, TrainingNoise.of(SD15, 0.0001, 0.02, BetaSchedules.ZeroSnr.RESCALE).alphasCumprod().length);
  }
}
