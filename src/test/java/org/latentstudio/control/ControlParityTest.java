package org.latentstudio.control;

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
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.testing.Pictures;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.GraphBuilder;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ControlNet and IP-Adapter against diffusers 0.30.3 on tiny random models (src/python/parity/make_control_set.py):
 * one and two ControlNets (a diffusers folder and an original single file) at strength 1 and 0.5 with
 * diffusers' step-index gating over the whole schedule (start 0, end 1, where it agrees with ComfyUI's noise
 * levels), and the IP-Adapter in h94's format with a CLIP vision encoder folder at weight 1 and 0.5. The
 * controls change the picture by 18–35 levels on average, so a residual lost, doubled or added to the wrong
 * skip, a scale applied twice or the negative tokens swapped fall far below the 55 dB threshold.
 */
class ControlParityTest {
  static AppContext app;
  static JsonNode manifest;

  @TempDir
  static Path out;

  @BeforeAll
  static void start() throws IOException {
    app = new AppContext();
    manifest = new ObjectMapper().readTree(TestModels.control().resolve("cases.json").toFile());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static Stream<Arguments> cases() throws IOException {
    JsonNode m = new ObjectMapper().readTree(TestModels.control().resolve("cases.json").toFile());
    List<Arguments> cases = new ArrayList<>();
    m.get("cases").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesDiffusers(String name, JsonNode c) throws Exception {
    Path dir = TestModels.control();
    JsonNode s = manifest.get("settings");
    GraphBuilder g = ControlGraphs.base(dir.resolve(manifest.get("model").asText()), manifest.get("prompt").asText(),
        s.get("seed").asLong(), s.get("steps").asInt(), s.get("guidance_scale").asDouble(), s.get("width").asInt());
    switch (c.get("kind").asText()) {
      case "controlnet" -> {
        int n = c.get("strengths").size();
        Path[] nets = new Path[n];
        Path[] images = new Path[n];
        double[] strengths = new double[n];
        for (int i = 0; i < n; i++) {
          nets[i] = dir.resolve(manifest.get("controlnets").get(i).asText());
          images[i] = dir.resolve(manifest.get("control_images").get(i).asText());
          strengths[i] = c.get("strengths").get(i).asDouble();
        }
        ControlGraphs.controlled(g, nets, images, strengths, 0, 1);
      }
      case "ip_adapter" -> ControlGraphs.ipAdapter(g, dir.resolve(manifest.get("ip_adapter").asText()),
          dir.resolve(manifest.get("image_encoder").asText()), dir.resolve(manifest.get("ip_reference").asText()),
          c.get("weight").asDouble(), "linear", 0, 1);
      default -> ControlGraphs.plain(g);
    }
    RunResult r = run(g.build());
    Tensor latents = ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples();
    Tensor expected = Npy.read(dir.resolve(c.get("latents").asText()));
    float maxDiff = latents.maxAbsDiff(expected);
    RgbImage picture = r.outputs().get(NodeId.of("preview")).display().images().get(0);
    RgbImage reference = RgbImage.fromBufferedImage(ImageIO.read(dir.resolve(c.get("image").asText()).toFile()));
    double psnr = Pictures.psnr(picture, reference);
    System.out.printf("control parity %-12s latents max|d| %.2e  PSNR %s dB%n", name, maxDiff,
        Double.isInfinite(psnr) ? "inf" : String.format("%.1f", psnr));
    assertTrue(psnr >= 55, name + ": PSNR " + psnr + " dB (latents differ by up to " + maxDiff + ")");
  }

  static RunResult run(Graph graph) {
    RunResult r = app.executor().run(new RunRequest(graph, Set.of(), new RunSettings(out, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertTrue(r.succeeded(), r::failureMessage);
    return r;
  }
}
