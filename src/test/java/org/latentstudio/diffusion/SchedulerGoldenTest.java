package org.latentstudio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentstudio.io.SchedulerConfigJson;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.Resources;

/**
 * The samplers against diffusers 0.30.3's own schedulers ({@code src/python/reference/scheduler_reference.py}):
 * the same loop, the same synthetic model, the same seeded generator. Checks timesteps, sigmas,
 * init_noise_sigma, the shape of every generator draw, per-step x0 where recorded, and the final latents.
 */
class SchedulerGoldenTest {
  /** Relative tolerance on timesteps, sigmas and init_noise_sigma. */
  static final double SCHEDULE_RTOL = 1e-6;
  /**
   * Tolerance on latents and x0, relative to the largest value of the case (so about 8 float32 ulps of the
   * latents' scale). diffusers' own tests/schedulers compare sums and means to 1e-2 .. 1e-3; most cases here are
   * bit for bit. What is left comes from torch's float32 log/exp (SLEEF, not correctly rounded) in DPM-Solver and
   * DDPM's fixed_small_log, and numpy's float32 log of the training sigmas behind karras/exponential timesteps.
   */
  static final double LATENT_RTOL = 1e-6;

  private static final JsonNode ROOT = Resources.json("diffusion/schedulers.json");
  /** Per sampler: cases, bit-exact cases, worst schedule error, worst latent error (scaled), worst case. */
  private static final Map<String, double[]> REPORT = new TreeMap<>();
  private static final Map<String, String> WORST = new TreeMap<>();

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : ROOT.get("cases")) {
      out.add(Arguments.of(c.get("name").asText(), c));
    }
    return out.stream();
  }

  /** The synthetic model of the reference script: x / (1 + 0.25 x^2) + float32(0.001 t - 0.3). */
  static Tensor model(Tensor x, float t) {
    float c = (float) (0.001 * (double) t - 0.3);
    float[] in = x.data();
    float[] out = new float[in.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = in[i] / (1f + 0.25f * in[i] * in[i]) + c;
    }
    return Tensor.of(out, x.shape());
  }

  static SchedulerConfig config(JsonNode overrides) {
    SchedulerConfig cfg = SchedulerConfigJson.fromTree(ROOT.get("base_config"));
    for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      cfg = cfg.with(e.getKey(), SchedulerConfigJson.value(e.getKey(), e.getValue()));
    }
    return cfg;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesDiffusers(String name, JsonNode c) {
    Sampler sampler = Samplers.create(c.get("sampler").asText(), c.get("schedule").asText(),
        config(c.get("overrides")), (float) c.get("eta").asDouble());
    int steps = c.get("steps").asInt();
    sampler.setTimesteps(steps);

    float[] timesteps = sampler.timesteps();
    double tErr = assertRelClose(floats(c.get("timesteps")), timesteps, name + " timesteps");
    double sErr = 0;
    if (!c.get("sigmas").isNull()) {
      sErr = assertRelClose(floats(c.get("sigmas")), sampler.sigmas(), name + " sigmas");
    } else {
      assertEquals(0, sampler.sigmas().length, name + ": no sigmas expected");
    }
    assertRelClose(floats(c.get("init_noise_sigma")), new float[] {sampler.initNoiseSigma()}, name + " init sigma");

    int[] shape = TorchGeneratorTest.ints(c.get("shape"));
    CountingNoise noise = new CountingNoise(new TorchGenerator(Long.parseUnsignedLong(c.get("seed").asText())));
    int begin = 0;
    Tensor latents;
    if (c.get("strength").isNull()) {
      latents = noise.randn(shape).times(sampler.initNoiseSigma());
    } else {
      Tensor init = noise.randn(shape);
      Tensor added = noise.randn(shape);
      begin = Samplers.img2imgBeginIndex(steps, c.get("strength").asDouble(), sampler.order());
      assertEquals(c.get("begin_index").asInt(), begin, name + " begin index");
      latents = sampler.addNoise(init, added, begin);
    }
    JsonNode x0s = c.get("x0");
    float x0Err = 0;
    for (int i = begin; i < timesteps.length; i++) {
      Tensor x = sampler.scaleModelInput(latents, i);
      StepResult r = sampler.step(model(x, timesteps[i]), i, latents, noise);
      latents = r.prevSample();
      assertNotNull(r.predOriginalSample());
      if (x0s != null) {
        x0Err = Math.max(x0Err, maxScaledDiff(decode(x0s.get(i - begin).asText()), r.predOriginalSample().data(),
            name + " x0 at " + i));
      }
    }
    List<List<Integer>> expectedDraws = new ArrayList<>();
    for (JsonNode d : c.get("draws")) {
      List<Integer> s = new ArrayList<>();
      d.forEach(n -> s.add(n.asInt()));
      expectedDraws.add(s);
    }
    assertEquals(expectedDraws, noise.draws(), name + ": generator draws (shape, in order)");

    float[] expectedFinal = decode(c.get("final").asText());
    float err = maxScaledDiff(expectedFinal, latents.data(), name + " final latents");
    double scaled = Math.max(err, x0Err) / Math.max(1, maxAbs(expectedFinal));
    synchronized (REPORT) {
      double[] r = REPORT.computeIfAbsent(c.get("sampler").asText(), k -> new double[4]);
      r[0]++;
      if (err == 0 && x0Err == 0 && tErr == 0 && sErr == 0) {
        r[1]++;
      }
      r[2] = Math.max(r[2], Math.max(tErr, sErr));
      if (scaled >= r[3]) {
        r[3] = scaled;
        WORST.put(c.get("sampler").asText(), String.format("%s (|dx| %.1e at max |x| %.1f)", name,
            Math.max(err, x0Err), maxAbs(expectedFinal)));
      }
    }
  }

  @AfterAll
  static void printReport() {
    StringBuilder b = new StringBuilder("SchedulerGoldenTest against diffusers " + ROOT.get("diffusers").asText()
        + ": sampler, cases, bit for bit, max rel. schedule error, max latent error / scale, worst case\n");
    REPORT.forEach((sampler, r) -> b.append(String.format("  %-16s %3d %3d  %.1e  %.1e  %s%n", sampler, (int) r[0],
        (int) r[1], r[2], r[3], WORST.get(sampler))));
    System.out.print(b);
  }

  /** The largest absolute difference, asserted to be within {@link #LATENT_RTOL} of the case's scale. */
  static float maxScaledDiff(float[] expected, float[] actual, String where) {
    assertEquals(expected.length, actual.length, where + ": length");
    double tol = LATENT_RTOL * Math.max(1, maxAbs(expected));
    float m = 0;
    for (int i = 0; i < expected.length; i++) {
      float d = Math.abs(expected[i] - actual[i]);
      if (!(d <= tol)) {
        throw new AssertionError(where + ": value " + i + " expected " + expected[i] + " got " + actual[i]
            + " (tolerance " + tol + ")");
      }
      m = Math.max(m, d);
    }
    return m;
  }

  static float maxAbs(float[] v) {
    float m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  static double assertRelClose(float[] expected, float[] actual, String where) {
    assertEquals(expected.length, actual.length, where + ": length; expected " + java.util.Arrays.toString(expected)
        + " got " + java.util.Arrays.toString(actual));
    double m = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double d = Math.abs(e - actual[i]) / Math.max(Math.abs(e), 1e-12);
      if (e == 0) {
        d = Math.abs(actual[i]);
      }
      if (!(d <= SCHEDULE_RTOL)) {
        throw new AssertionError(where + ": entry " + i + " expected " + expected[i] + " got " + actual[i]);
      }
      m = Math.max(m, d);
    }
    return m;
  }

  static float[] decode(String b64) {
    byte[] bytes = Base64.getDecoder().decode(b64);
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static float[] floats(JsonNode a) {
    return TorchGeneratorTest.floats(a);
  }

  /** A NoiseSource that records the shape of every draw. */
  static final class CountingNoise implements NoiseSource {
    private final NoiseSource inner;
    private final List<List<Integer>> draws = new ArrayList<>();

    CountingNoise(NoiseSource inner) {
      this.inner = inner;
    }

    @Override
    public Tensor randn(int... shape) {
      List<Integer> s = new ArrayList<>();
      for (int d : shape) {
        s.add(d);
      }
      draws.add(s);
      return inner.randn(shape);
    }

    List<List<Integer>> draws() {
      return draws;
    }
  }
}
