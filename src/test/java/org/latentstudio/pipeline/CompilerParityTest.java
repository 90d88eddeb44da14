package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.RunResult;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.runtime.SdModels;
import org.latentstudio.runtime.TextEncoder;
import org.latentstudio.runtime.UNet;
import org.latentstudio.runtime.VaeDecoder;
import org.latentstudio.runtime.VaeEncoder;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;
import org.latentstudio.testing.WorkflowRuns;

/**
 * The compiler against diffusers 0.30.3 on four tiny SD1.x models of different shapes (src/test/resources/compiler,
 * made by src/python/compiler), from every form of their files: diffusers folders (and their fp16 variant),
 * single-file LDM checkpoints in fp32, fp16 and bf16, a zip-pickle .ckpt, with and without a config.
 * <ul>
 *   <li>each part (text encoder, also stopped one layer early; UNet at two timesteps; VAE decoder and encoder):
 *       max |Δ| ≤ 1e-4 × max |reference|;</li>
 *   <li>end to end through the shipped graphs, as a user runs them: latents within 1e-3 and PSNR ≥ 55 dB,
 *       txt2img and img2img, for the same seeds.</li>
 * </ul>
 * fp16 and bf16 references ran with the weights rounded to that type and computed in float32, which is what the
 * CPU does with such files.
 */
class CompilerParityTest {
  static final Path ROOT = TestModels.resources().resolve("compiler");
  static JsonNode manifest;
  static AppContext app;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    manifest = new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
    app = new AppContext();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static Stream<Arguments> forms() throws IOException {
    JsonNode m = new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
    List<Arguments> out = new ArrayList<>();
    m.get("models").fields().forEachRemaining(model -> model.getValue().get("forms").fieldNames()
        .forEachRemaining(form -> out.add(Arguments.of(model.getKey() + " " + form, model.getKey(), form))));
    return out.stream();
  }

  /** Where a form's files are: a diffusers fp16 variant is given as a folder holding only those files. */
  static Path checkpoint(JsonNode form) throws IOException {
    Path p = ROOT.resolve(form.get("path").asText());
    if (form.path("variant").isNull() || form.path("variant").isMissingNode()) {
      return p;
    }
    Path copy = tmp.resolve("variant-" + p.getParent().getFileName());
    if (!Files.exists(copy)) {
      for (JsonNode f : form.get("files")) {
        Path src = ROOT.resolve(f.asText());
        Path dst = copy.resolve(p.relativize(src).toString());
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst);
      }
    }
    return copy;
  }

  static Path config(JsonNode node) {
    return node == null || node.isNull() ? null : ROOT.resolve(node.asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void eachPartMatchesDiffusers(String name, String model, String form) throws Exception {
    JsonNode m = manifest.get("models").get(model);
    JsonNode f = m.get("forms").get(form);
    SdModel sd = SdModels.open(checkpoint(f), config(f.get("config")), app.services().require(GraphCache.class),
        app.runtime().compileOptions());
    JsonNode in = m.get("components").get("inputs");
    JsonNode out = m.get("components").get("outputs").get(f.get("weights").asText());

    Tensor ids = Npy.read(ROOT.resolve(in.get("text_encoder").get("input_ids").asText()));
    long[] tokens = new long[ids.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = (long) ids.get(i);
    }
    try (TextEncoder text = TextEncoder.open(app.runtime(), sd)) {
      close(name + " text encoder", text.encode(tokens, ids.dim(0)), out.get("text_encoder"), "last_hidden_state");
    }
    try (TextEncoder text = TextEncoder.open(app.runtime(), sd.text().stoppingAt(-2))) {
      close(name + " text encoder, clip skip 2", text.encode(tokens, ids.dim(0)), out.get("text_encoder"),
          "clip_skip_2");
    }
    try (UNet unet = UNet.open(app.runtime(), sd)) {
      for (int i = 0; i < in.get("unet").size(); i++) {
        JsonNode call = in.get("unet").get(i);
        Tensor pred = unet.predict(Npy.read(ROOT.resolve(call.get("sample").asText())),
            (float) call.get("timestep").asDouble(), Npy.read(ROOT.resolve(call.get("encoder_hidden_states").asText())));
        close(name + " UNet " + call.get("name").asText(), pred, out.get("unet").get(i), "out_sample");
      }
    }
    try (VaeDecoder dec = VaeDecoder.open(app.runtime(), sd); VaeEncoder enc = VaeEncoder.open(app.runtime(), sd)) {
      close(name + " VAE decoder", dec.decode(Npy.read(ROOT.resolve(in.get("vae_decoder").get("latent_sample")
          .asText()))), out.get("vae_decoder"), "sample");
      VaeEncoder.Encoded e = enc.encode(Npy.read(ROOT.resolve(in.get("vae_encoder").get("sample").asText())));
      Tensor moments = Npy.read(ROOT.resolve(out.get("vae_encoder").get("latent_parameters").asText()));
      int half = moments.size() / 2;
      Tensor mean = Tensor.of(java.util.Arrays.copyOfRange(moments.data(), 0, half), e.mean().shape());
      within(name + " VAE encoder (mean)", e.mean(), mean);
    }
  }

  private static void close(String what, Tensor got, JsonNode refs, String key) throws IOException {
    within(what, got, Npy.read(ROOT.resolve(refs.get(key).asText())));
  }

  private static void within(String what, Tensor got, Tensor ref) {
    assertTrue(got.sameShape(ref), what + ": " + got + " vs " + ref);
    float max = 0;
    for (float v : ref.data()) {
      max = Math.max(max, Math.abs(v));
    }
    float diff = got.maxAbsDiff(ref);
    System.out.printf("compiler parity %-48s max|Δ| %.2e = %.1e × max|ref|%n", what, diff, diff / max);
    assertTrue(diff <= 1e-4 * max, what + ": max |Δ| " + diff + " > 1e-4 × " + max);
  }

  static Stream<Arguments> cases() throws IOException {
    JsonNode m = new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
    List<Arguments> out = new ArrayList<>();
    m.get("cases").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void picturesMatchDiffusers(String name, JsonNode c) throws Exception {
    boolean img2img = !c.get("init_image").isNull();
    JsonNode form = manifest.get("models").get(c.get("model").asText()).get("forms").get(c.get("form").asText());
    List<String> sets = new ArrayList<>(List.of(
        "checkpoint.path=" + checkpoint(form),
        "positive.text=" + c.get("prompt").asText(),
        "negative.text=" + (c.get("negative_prompt").isNull() ? "" : c.get("negative_prompt").asText()),
        "sampler.seed=" + c.get("seed").asLong(),
        "sampler.steps=" + c.get("steps").asInt(),
        "sampler.cfg=" + c.get("guidance_scale").asDouble(),
        "sampler.sampler_name=" + c.get("sampler").asText(),
        "sampler.scheduler=" + c.get("scheduler").asText(),
        "sampler.eta=" + c.get("eta").asDouble(),
        "save.filename_prefix=" + name));
    Path cfg = config(c.get("config"));
    if (cfg != null) {
      sets.add("checkpoint.config=" + cfg);
    }
    if (img2img) {
      sets.add("image.image=" + ROOT.resolve(c.get("init_image").asText()));
      sets.add("sampler.denoise=" + c.get("strength").asDouble());
    } else {
      // EmptyLatentImage divides pixels by 8 (ComfyUI's rule) whatever the VAE; diffusers' size is latent × f
      JsonNode shape = c.get("latents_shape");
      sets.add("latent.width=" + shape.get(3).asInt() * 8);
      sets.add("latent.height=" + shape.get(2).asInt() * 8);
    }
    RunResult r = WorkflowRuns.run(app, tmp, img2img ? "img2img.json" : "txt2img.json", sets);
    assertTrue(r.succeeded(), r::failureMessage);

    Tensor latents = ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples();
    Tensor expected = Npy.read(ROOT.resolve(c.get("latents").asText()));
    assertTrue(latents.sameShape(expected), latents + " vs " + expected);
    float maxDiff = latents.maxAbsDiff(expected);
    RgbImage picture = r.outputs().get(NodeId.of("save")).display().images().get(0);
    RgbImage reference = RgbImage.fromBufferedImage(ImageIO.read(ROOT.resolve(c.get("image").asText()).toFile()));
    assertEquals(reference.width(), picture.width());
    assertEquals(reference.height(), picture.height());
    double psnr = DiffusersParityTest.psnr(picture, reference);
    System.out.printf("compiler parity %-36s latents max|Δ| %.2e  PSNR %s dB%n", name, maxDiff,
        Double.isInfinite(psnr) ? "inf" : String.format("%.1f", psnr));
    assertTrue(maxDiff <= 1e-3, "latents differ by " + maxDiff);
    assertTrue(psnr >= 55, "PSNR " + psnr + " dB");
  }
}
