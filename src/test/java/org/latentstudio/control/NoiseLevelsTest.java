package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.latentstudio.diffusion.NoiseLevels;
import org.latentstudio.diffusion.SchedulerConfig;
import org.junit.jupiter.api.Test;

/**
 * percent_to_sigma against ComfyUI's ModelSamplingDiscrete on SD1.5's schedule (values computed with its code:
 * float64 betas, float32 log sigmas, log-linear interpolation at (1 − p)·999).
 */
class NoiseLevelsTest {
  static final NoiseLevels SD15 = NoiseLevels.of(SchedulerConfig.empty().with("beta_schedule", "scaled_linear")
      .with("beta_start", 0.00085).with("beta_end", 0.012));

  @Test
  void percentToSigmaMatchesComfyUi() {
    double[][] expected = {{0.1, 8.307170867919922}, {0.3, 3.325068950653076}, {0.5, 1.6155803203582764},
        {0.75, 0.6951494812965393}, {0.9, 0.34370481967926025}, {0.999, 0.041300032287836075}};
    for (double[] e : expected) {
      assertEquals(e[1], SD15.percentToSigma(e[0]), e[1] * 2e-6, "percent " + e[0]);
    }
    assertEquals(NoiseLevels.ALWAYS, SD15.percentToSigma(0), 0);
    assertEquals(0, SD15.percentToSigma(1), 0);
    assertEquals(14.614641189575195, SD15.sigma(999), 1e-5);
    assertEquals(0.029167158529162407, SD15.sigma(0), 1e-7);
  }

  @Test
  void windowsAreNoiseLevelsNotSteps() {
    assertTrue(SD15.active(0, 1, 999));
    assertTrue(SD15.active(0, 1, 0));
    // the first 30 % of the noise levels: timesteps from 999 down to (1 − 0.3)·999
    assertTrue(SD15.active(0, 0.3, 800));
    assertFalse(SD15.active(0, 0.3, 600));
    assertFalse(SD15.active(0.5, 1, 700));
    assertTrue(SD15.active(0.5, 1, 400));
  }
}
