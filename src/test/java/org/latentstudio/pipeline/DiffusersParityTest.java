package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same model, prompt, seed and settings as diffusers 0.30.3, same picture: every sampler on leading, karras and
 * trailing for several, a negative prompt, a non-square size, image-to-image, DDIM with eta and guidance 1.
 * The cases run the shipped graphs (graphs/txt2img.json, graphs/img2img.json) with --set overrides, as a user
 * would. Thresholds: PSNR ≥ 55 dB on the 8-bit picture and max |Δ| ≤ 1e-3 on the final latents; a guidance
 * scale off by 0.5 or padding with 0 instead of EOS already lands near 50 dB.
 */
class DiffusersParityTest extends AppTest {
  @TempDir
  static Path out;

  static Stream<Arguments> cases() throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(TestModels.parity().resolve("cases.json").toFile());
    List<Arguments> cases = new ArrayList<>();
    manifest.get("cases").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesDiffusers(String name, JsonNode c) throws Exception {
    boolean img2img = !c.get("init_image").isNull();
    // fractional timesteps (karras on euler, heun, lms) need the float32-timestep export: int64 truncates them
    Path model = c.get("fractional_timesteps").asBoolean() ? TestModels.tinySdFloatTimestep() : TestModels.tinySd();
    Path workflow = Path.of("graphs", img2img ? "img2img.json" : "txt2img.json");
    List<String> sets = new ArrayList<>(List.of(
        "checkpoint.path=" + model,
        "positive.text=" + c.get("prompt").asText(),
        "negative.text=" + (c.get("negative_prompt").isNull() ? "" : c.get("negative_prompt").asText()),
        "sampler.seed=" + c.get("seed").asLong(),
        "sampler.steps=" + c.get("steps").asInt(),
        "sampler.cfg=" + c.get("guidance_scale").asDouble(),
        "sampler.sampler_name=" + c.get("sampler").asText(),
        "sampler.scheduler=" + c.get("scheduler").asText(),
        "sampler.eta=" + c.get("eta").asDouble(),
        "save.filename_prefix=" + c.get("name").asText()));
    if (img2img) {
      sets.add("image.image=" + TestModels.parity().resolve(c.get("init_image").asText()));
      sets.add("sampler.denoise=" + c.get("strength").asDouble());
    } else {
      sets.add("latent.width=" + c.get("width").asInt());
      sets.add("latent.height=" + c.get("height").asInt());
    }
    WorkflowCodec codec = new WorkflowCodec();
    Graph graph = Overrides.apply(codec.read(workflow).graph(), app.registry(), sets);
    RunResult r = app.executor().run(new RunRequest(graph, Set.of(), new RunSettings(out, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertTrue(r.succeeded(), r::failureMessage);

    Tensor latents = ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples();
    Tensor expected = Npy.read(TestModels.parity().resolve(c.get("latents").asText()));
    assertTrue(latents.sameShape(expected), latents + " vs " + expected);
    float maxDiff = latents.maxAbsDiff(expected);
    assertTrue(maxDiff <= 1e-3, "latents differ by " + maxDiff);

    RgbImage picture = r.outputs().get(NodeId.of("save")).display().images().get(0);
    RgbImage reference = RgbImage.fromBufferedImage(ImageIO.read(TestModels.parity().resolve(c.get("image").asText())
        .toFile()));
    assertEquals(reference.width(), picture.width());
    assertEquals(reference.height(), picture.height());
    double psnr = psnr(picture, reference);
    System.out.printf("parity %-24s latents max|d| %.2e  PSNR %s dB%n", name, maxDiff,
        Double.isInfinite(psnr) ? "inf" : String.format("%.1f", psnr));
    assertTrue(psnr >= 55, "PSNR " + psnr + " dB");
  }

  static double psnr(RgbImage a, RgbImage b) {
    double se = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      double d = (a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff);
      se += d * d;
    }
    double mse = se / a.rgb().length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
