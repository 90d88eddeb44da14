package org.latentstudio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentstudio.io.SchedulerConfigJson;
import org.latentstudio.tensor.Tensor;

class SamplersTest {
  static final SchedulerConfig SD15 = SchedulerConfigJson.parse("""
      { "_class_name": "PNDMScheduler", "_diffusers_version": "0.30.3", "beta_end": 0.012,
        "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false,
        "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": false,
        "skip_prk_steps": true, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": null }
      """);

  @Test
  void unknownNamesListTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Samplers.create("dpm++", "normal", SD15, 0));
    assertTrue(e.getMessage().contains("euler, euler_ancestral, heun, dpmpp_2m, lms, ddim, ddpm, pndm"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Samplers.create("euler", "simple", SD15, 0));
    assertTrue(e.getMessage().contains("normal, karras, exponential, leading, trailing, linspace"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "ddpm", "pndm"})
  void alphaSamplersRejectSigmaSchedules(String sampler) {
    for (String schedule : List.of("karras", "exponential")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Samplers.create(sampler, schedule, SD15, 0));
      assertTrue(e.getMessage().contains("'" + sampler + "'") && e.getMessage().contains(schedule)
          && e.getMessage().contains("normal, leading, trailing, linspace"), e.getMessage());
    }
  }

  @Test
  void everyAcceptedCombinationBuilds() {
    for (String sampler : Samplers.SAMPLER_NAMES) {
      for (String schedule : Samplers.SCHEDULE_NAMES) {
        boolean sigmaOnly = schedule.equals("karras") || schedule.equals("exponential");
        if (sigmaOnly && !Samplers.SIGMA_SAMPLERS.contains(sampler)) {
          continue;
        }
        Sampler s = Samplers.create(sampler, schedule, SD15, 0);
        s.setTimesteps(20);
        float[] t = s.timesteps();
        float[] sig = s.sigmas();
        if (sig.length > 0) {
          assertEquals(t.length + 1, sig.length, sampler + "/" + schedule);
          assertEquals(0f, sig[sig.length - 1], sampler + "/" + schedule + ": sigmas end in 0");
        }
        int expected = switch (sampler) {
          case "heun" -> 2 * 20 - 1;
          case "pndm" -> 20 + 1;
          default -> 20;
        };
        assertEquals(expected, t.length, sampler + "/" + schedule + " call indices");
      }
    }
  }

  @Test
  void sigmaSchedulesSpanTheSameRange() {
    Sampler normal = Samplers.create("euler", "normal", SD15, 0);
    Sampler karras = Samplers.create("euler", "karras", SD15, 0);
    Sampler exponential = Samplers.create("euler", "exponential", SD15, 0);
    for (Sampler s : List.of(normal, karras, exponential)) {
      s.setTimesteps(12);
    }
    float[] n = normal.sigmas();
    float[] e = exponential.sigmas();
    assertEquals(n[0], karras.sigmas()[0]);
    assertEquals(n[0], e[0]);
    assertEquals(n[11], e[11], 1e-7f * n[11]);
    // k-diffusion's get_sigmas_exponential: even steps in log sigma, then an appended 0
    double step = Math.log(e[1]) - Math.log(e[0]);
    for (int i = 1; i < 11; i++) {
      assertEquals(step, Math.log(e[i + 1]) - Math.log(e[i]), 1e-6);
    }
    assertEquals(0f, e[12]);
    double[] formula = Sigmas.exponential(0.02917, 14.6146, 5);
    assertEquals(14.6146, formula[0], 1e-12);
    assertEquals(0.02917, formula[4], 1e-12);
    assertEquals(Math.exp((Math.log(14.6146) + Math.log(0.02917)) / 2), formula[2], 1e-12);
  }

  @Test
  void heunAndPndmCallIndices() {
    Sampler heun = Samplers.create("heun", "normal", SD15, 0);
    heun.setTimesteps(4);
    assertArrayEquals(new float[] {751, 501, 501, 251, 251, 1, 1}, heun.timesteps());
    assertEquals(2, heun.order());
    float[] s = heun.sigmas();
    assertEquals(8, s.length);
    assertEquals(s[1], s[2]);
    assertEquals(s[5], s[6]);
    assertEquals(0f, s[7]);

    Sampler pndm = Samplers.create("pndm", "normal", SD15, 0);
    pndm.setTimesteps(4);
    assertArrayEquals(new float[] {751, 501, 501, 251, 1}, pndm.timesteps());
    assertEquals(1, pndm.order());
    assertEquals(0, pndm.sigmas().length);
  }

  @Test
  void fractionalTimesteps() {
    Sampler euler = Samplers.create("euler", "linspace", SD15, 0);
    euler.setTimesteps(20);
    assertEquals(999f, euler.timesteps()[0]);
    assertEquals(946.4211f, euler.timesteps()[1], 1e-3f);
    Sampler dpm = Samplers.create("dpmpp_2m", "karras", SD15, 0);
    dpm.setTimesteps(20);
    for (float t : dpm.timesteps()) {
      assertEquals(Math.rint(t), t, "DPM-Solver rounds its karras timesteps");
    }
  }

  @Test
  void trailingKeepsNumpysExtraTimestepForSomeStepCounts() {
    // np.arange(1000, 0, -1000 / 61) has 62 entries, so diffusers' trailing schedules get 62 timesteps
    Sampler euler = Samplers.create("euler", "trailing", SD15, 0);
    euler.setTimesteps(61);
    assertEquals(62, euler.timesteps().length);
    assertEquals(63, euler.sigmas().length);
    Sampler ddim = Samplers.create("ddim", "trailing", SD15, 0);
    ddim.setTimesteps(60);
    assertEquals(60, ddim.timesteps().length);
  }

  @Test
  void img2imgBeginIndexFollowsGetTimesteps() {
    assertEquals(4, Samplers.img2imgBeginIndex(10, 0.6, 1));
    assertEquals(8, Samplers.img2imgBeginIndex(10, 0.6, 2));
    assertEquals(0, Samplers.img2imgBeginIndex(10, 1.0, 1));
    assertEquals(1, Samplers.img2imgBeginIndex(50, 0.99, 1)); // int(49.5) = 49
    assertEquals(7, Samplers.img2imgBeginIndex(10, 0.3, 1)); // int(3.0000000000000004) = 3
    assertThrows(IllegalArgumentException.class, () -> Samplers.img2imgBeginIndex(10, 1.5, 1));
  }

  @Test
  void noiseIsRequiredOnlyWhereItMatters() {
    Tensor x = new TorchGenerator(1).randn(1, 4, 2, 2);
    for (String name : List.of("euler", "heun", "dpmpp_2m", "lms", "ddim", "pndm")) {
      Sampler s = Samplers.create(name, "normal", SD15, 0);
      s.setTimesteps(5);
      s.step(x, 0, x, null); // deterministic: no generator needed
    }
    for (String name : List.of("euler_ancestral", "ddpm")) {
      Sampler s = Samplers.create(name, "normal", SD15, 0);
      s.setTimesteps(5);
      NullPointerException e = assertThrows(NullPointerException.class, () -> s.step(x, 0, x, null));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    Sampler ddim = Samplers.create("ddim", "normal", SD15, 0.5f);
    ddim.setTimesteps(5);
    assertThrows(NullPointerException.class, () -> ddim.step(x, 0, x, null));
  }

  @Test
  void eulerDrawsEveryStepLikeDiffusers() {
    int[] count = {0};
    NoiseSource counting = shape -> {
      count[0]++;
      return Tensor.zeros(shape);
    };
    Sampler s = Samplers.create("euler", "normal", SD15, 0);
    s.setTimesteps(6);
    Tensor x = Tensor.full(0.5f, 1, 4, 2, 2);
    for (int i = 0; i < 6; i++) {
      x = s.step(x, i, x, counting).prevSample();
    }
    assertEquals(6, count[0]);
  }

  @Test
  void stepsMustComeInOrderAndSetTimestepsResets() {
    Sampler s = Samplers.create("dpmpp_2m", "normal", SD15, 0);
    assertThrows(IllegalStateException.class, () -> s.timesteps());
    s.setTimesteps(5);
    Tensor x = Tensor.full(0.1f, 1, 4, 2, 2);
    Tensor first = s.step(x, 0, x, null).prevSample();
    assertThrows(IllegalStateException.class, () -> s.step(x, 2, x, null));
    assertThrows(IndexOutOfBoundsException.class, () -> s.step(x, 5, x, null));
    s.setTimesteps(5);
    assertArrayEquals(first.data(), s.step(x, 0, x, null).prevSample().data(), "state reset by setTimesteps");
  }

  @Test
  void configFeaturesThatAreNotImplementedAreRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Samplers.create("ddim", "normal", SD15.with("thresholding", true), 0));
    assertTrue(e.getMessage().contains("thresholding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Samplers.create("euler", "normal", SD15.with("beta_schedule", "sigmoid"), 0));
    assertTrue(e.getMessage().contains("linear, scaled_linear, squaredcos_cap_v2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Samplers.create("euler", "normal", SD15.with("prediction_type", "flow"), 0));
    assertTrue(e.getMessage().contains("v_prediction"), e.getMessage());
  }

  @Test
  void configUseKarrasSigmasAppliesToNormal() {
    Sampler plain = Samplers.create("euler", "karras", SD15, 0);
    Sampler fromConfig = Samplers.create("euler", "normal", SD15.with("use_karras_sigmas", true), 0);
    plain.setTimesteps(8);
    fromConfig.setTimesteps(8);
    assertArrayEquals(plain.sigmas(), fromConfig.sigmas());
  }

  @Test
  void samplePredictionBeyondDiffusersGivesTheModelOutputAsX0() {
    // diffusers 0.30.3 raises for these two; here x0 is the model output, as for the other samplers
    SchedulerConfig cfg = SD15.with("prediction_type", "sample");
    TorchGenerator g = new TorchGenerator(5);
    for (String name : List.of("euler_ancestral", "pndm")) {
      Sampler s = Samplers.create(name, "normal", cfg, 0);
      s.setTimesteps(8);
      Tensor x = g.randn(1, 4, 3, 3).times(s.initNoiseSigma());
      Tensor target = Tensor.full(0.25f, 1, 4, 3, 3);
      float[] t = s.timesteps();
      for (int i = 0; i < t.length; i++) {
        StepResult r = s.step(target, i, x, g);
        assertArrayEquals(target.data(), r.predOriginalSample().data(), name);
        x = r.prevSample();
      }
      for (float v : x.data()) {
        // Euler ancestral ends at sigma 0, so exactly at x0; PNDM ends at alphas_cumprod[0] (SD1.5 does not set
        // alpha to one), sqrt(1 - 0.99915) = 0.029 times the noise away
        assertEquals(0.25f, v, name.equals("pndm") ? 0.12f : 1e-6f, name + " ends at the predicted x0");
      }
    }
  }
}
