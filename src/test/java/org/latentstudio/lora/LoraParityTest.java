package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentstudio.app.AppContext;
import org.latentstudio.image.RgbImage;
import org.latentstudio.lora.LoraRuns.Lora;
import org.latentstudio.lora.LoraRuns.Run;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;

/**
 * A LoRA applied by the loader nodes draws what diffusers 0.30.3 draws with the same LoRA fused into the torch
 * weights (src/python/lora/make_lora_parity.py: random LoRAs over every Linear, 1x1 and 3x3 conv of the tiny model's
 * UNet and every Linear of its text encoder). The same thresholds as {@code DiffusersParityTest}: PSNR ≥ 55 dB,
 * latents within 1e-3. The LoRA changes the picture a lot (about 15 dB from the model without it), so a LoRA left
 * out, merged at the wrong strength or into the wrong weights cannot pass.
 */
class LoraParityTest {
  static AppContext app;
  static JsonNode manifest;

  @TempDir
  static Path out;

  @BeforeAll
  static void start() throws Exception {
    app = new AppContext();
    manifest = new ObjectMapper().readTree(LoraRuns.DIR.resolve("cases.json").toFile());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    manifest.get("cases").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  static List<Lora> chain(JsonNode c, String format) {
    List<Lora> chain = new ArrayList<>();
    for (JsonNode l : c.get("loras")) {
      String file = manifest.get("files").get(l.get("lora").asText()).get(format).asText();
      chain.add(Lora.of(file, l.get("strength_model").asDouble(), l.get("strength_clip").asDouble()));
    }
    return chain;
  }

  static JsonNode byName(String name) {
    for (JsonNode c : manifest.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static void assertMatchesDiffusers(String label, JsonNode c, Run run) throws Exception {
    Tensor expected = Npy.read(LoraRuns.DIR.resolve(c.get("latents").asText()));
    float maxDiff = run.latents().maxAbsDiff(expected);
    RgbImage reference = RgbImage.fromBufferedImage(ImageIO.read(LoraRuns.DIR.resolve(c.get("image").asText())
        .toFile()));
    double psnr = LoraRuns.psnr(run.image(), reference);
    System.out.printf("lora parity %-28s latents max|d| %.2e  PSNR %s dB%n", label, maxDiff,
        Double.isInfinite(psnr) ? "inf" : String.format("%.1f", psnr));
    assertTrue(maxDiff <= 1e-3, label + ": latents differ by " + maxDiff);
    assertTrue(psnr >= 55, label + ": PSNR " + psnr + " dB");
  }

  /** kohya files on the checkpoint compiled from the diffusers folder: every strength and stack of the set. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kohyaLorasOnACompiledCheckpointDrawWhatDiffusersDraws(String name, JsonNode c) throws Exception {
    Run run = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(c, "kohya"));
    assertMatchesDiffusers("compiled " + name, c, run);
  }

  /** The optimum-style ONNX folder of the same model: Linear weights found through their MatMul nodes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kohyaLorasOnAnOnnxFolderDrawWhatDiffusersDraws(String name, JsonNode c) throws Exception {
    Run run = LoraRuns.run(app, TestModels.tinySd(), out, chain(c, "kohya"));
    assertMatchesDiffusers("onnx folder " + name, c, run);
  }

  /** The same LoRA as PEFT, kohya with LDM names, and older diffusers keys: the same merged weights, bit for bit. */
  @Test
  void everyFormatOfTheSameLoraDrawsTheSamePicture() throws Exception {
    for (String name : List.of("a_1_1", "a_06_06", "a_1_0")) {
      JsonNode c = byName(name);
      Run kohya = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(c, "kohya"));
      for (String format : List.of("peft", "kohya_ldm", "diffusers_old")) {
        Run other = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(c, format));
        assertArrayEquals(kohya.latents().data(), other.latents().data(), format + " " + name + ": latents");
        assertArrayEquals(kohya.image().rgb(), other.image().rgb(), format + " " + name + ": picture");
        assertMatchesDiffusers(format + " " + name, c, other);
      }
    }
  }

  @Test
  void strengthZeroIsTheModelWithoutTheLora() throws Exception {
    for (Path model : List.of(LoraRuns.TINY_DIFFUSERS, TestModels.tinySd())) {
      Run none = LoraRuns.run(app, model, out, List.of());
      Run zero = LoraRuns.run(app, model, out, List.of(Lora.of("tiny_a_kohya.safetensors", 0, 0)));
      assertArrayEquals(none.latents().data(), zero.latents().data(), model + ": latents");
      assertArrayEquals(none.image().rgb(), zero.image().rgb(), model + ": picture");
      assertEquals(List.of("LoRA off (strength 0)"), zero.shown("lora"));
      assertMatchesDiffusers("no LoRA " + model.getFileName(), byName("base"), none);
    }
  }

  @Test
  void twoLorasStackInEitherOrder() throws Exception {
    JsonNode c = byName("a_1_1_b_08_08");
    Run ab = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(c, "kohya"));
    Run ba = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(c, "kohya").reversed());
    float d = ab.latents().maxAbsDiff(ba.latents());
    double psnr = LoraRuns.psnr(ab.image(), ba.image());
    System.out.printf("lora stack A+B vs B+A: latents max|d| %.2e, PSNR %.1f dB%n", d, psnr);
    // the merged weights differ in their last bits (a + b + c is not a + c + b in floats); 20 steps carry that on
    assertTrue(d <= 1e-3 && psnr >= 55, "the order of two LoRAs changes only float rounding: " + d + ", " + psnr);
    assertMatchesDiffusers("stack B then A", c, ba);
    Run a = LoraRuns.run(app, LoraRuns.TINY_DIFFUSERS, out, chain(byName("a_1_1"), "kohya"));
    assertTrue(a.latents().maxAbsDiff(ab.latents()) > 0.05, "B must change the picture for this test to mean anything");
  }

  @Test
  void theLoaderSaysHowManyKeysMatched() throws Exception {
    JsonNode keys = manifest.get("keys").get("a");
    int unet = keys.get("unet").asInt();
    int text = keys.get("text_encoder").asInt();
    for (Path model : List.of(LoraRuns.TINY_DIFFUSERS, TestModels.tinySd())) {
      Run run = LoraRuns.run(app, model, out, List.of(Lora.of("tiny_a_kohya.safetensors", 1, 1)));
      assertEquals("tiny_a_kohya.safetensors: matched " + (unet + text) + " of " + (unet + text) + " keys (UNet "
          + unet + ", text encoder " + text + ")", run.shown("lora").getFirst(), model.toString());
      assertTrue(run.warnings().isEmpty(), run.warnings().toString());
    }
  }
}
