package org.latentstudio.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped graphs on the tiny model through the executor: caching, previews, the advanced sampler. */
class PipelineTest extends AppTest {
  @TempDir
  Path out;

  /** Records which nodes ran, progress steps and previews. */
  static final class Recorder implements ExecutionListener {
    final List<String> started = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> steps = Collections.synchronizedList(new ArrayList<>());
    final List<RgbImage> previews = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void nodeStarted(NodeId id, String type) {
      started.add(id.value());
    }

    @Override
    public void progress(NodeId id, int step, int total) {
      if (id.value().equals("sampler")) {
        steps.add(step);
      }
    }

    @Override
    public void preview(NodeId id, RgbImage image) {
      previews.add(image);
    }
  }

  static Graph graph(String file, String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of("checkpoint.path=" + TestModels.tinySd()));
    all.addAll(List.of(sets));
    return Overrides.apply(new WorkflowCodec().read(Path.of("graphs", file)).graph(), app.registry(), all);
  }

  RunResult run(Graph g, ExecutionListener listener, int previewEvery) {
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, previewEvery), "{}"), listener,
        new CancellationToken());
  }

  static Tensor latentOf(RunResult r, String node) {
    return ((Latent) r.outputs().get(NodeId.of(node)).get("LATENT")).samples();
  }

  @Test
  void changingOnlyTheSeedDoesNotRunTheTextEncoderAgain() throws Exception {
    run(graph("txt2img.json", "sampler.seed=1"), ExecutionListener.NONE, 0);
    Recorder second = new Recorder();
    RunResult r = run(graph("txt2img.json", "sampler.seed=2"), second, 0);
    assertTrue(r.succeeded(), r::failureMessage);
    assertEquals(List.of("sampler", "decode", "save"), second.started);
  }

  @Test
  void theEmptyPromptIsEncodedOncePerTextEncoderSession() throws Exception {
    Graph g = graph("txt2img.json", "positive.text=a blue square", "negative.text=", "sampler.steps=4");
    assertTrue(run(g, ExecutionListener.NONE, 0).succeeded());
    app.executor().cache().clear(); // every node runs again
    app.runtime().stats().reset();
    assertTrue(run(g, ExecutionListener.NONE, 0).succeeded());
    long calls = app.runtime().stats().byModel().values().stream().mapToLong(v -> v[1]).sum();
    // 4 UNet steps, the decoder, and the positive prompt: the blank negative and the empty prompt that weighting
    // needs come from the session
    assertEquals(4 + 1 + 1, calls);
  }

  @Test
  void progressEveryStepAndAPreviewEveryNSteps() throws Exception {
    Recorder rec = new Recorder();
    RunResult r = run(graph("txt2img.json", "sampler.steps=12", "sampler.seed=5", "latent.width=96"), rec, 4);
    assertTrue(r.succeeded(), r::failureMessage);
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), rec.steps);
    assertEquals(3, rec.previews.size(), "a preview at steps 4, 8 and 12");
    assertEquals(12, rec.previews.get(0).width(), "previews are at latent resolution (96 / 8)");
    assertEquals(8, rec.previews.get(0).height());
  }

  @Test
  void theSameGraphAndSeedGiveTheSamePicture() throws Exception {
    RunResult a = run(graph("txt2img.json", "sampler.seed=9", "sampler.sampler_name=euler_ancestral"),
        ExecutionListener.NONE, 0);
    app.executor().cache().clear();
    RunResult b = run(graph("txt2img.json", "sampler.seed=9", "sampler.sampler_name=euler_ancestral"),
        ExecutionListener.NONE, 0);
    assertEquals(0f, latentOf(a, "sampler").maxAbsDiff(latentOf(b, "sampler")));
    List<Path> files = new ArrayList<>(a.outputs().get(NodeId.of("save")).display().files());
    files.addAll(b.outputs().get(NodeId.of("save")).display().files());
    assertEquals(2, files.size());
    assertTrue(!files.get(0).equals(files.get(1)), "the second save gets a new number");
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(files.get(0)), Files.readAllBytes(files.get(1))),
        "bit-identical PNGs");
  }

  @Test
  void aFloat16ExportGivesNearlyTheSamePicture() throws Exception {
    RunResult fp32 = run(graph("txt2img.json", "sampler.seed=21", "sampler.steps=10"), ExecutionListener.NONE, 0);
    RunResult fp16 = run(graph("txt2img.json", "checkpoint.path=" + TestModels.tinySdFp16(), "sampler.seed=21",
        "sampler.steps=10"), ExecutionListener.NONE, 0);
    assertTrue(fp16.succeeded(), fp16::failureMessage);
    RgbImage a = fp32.outputs().get(NodeId.of("save")).display().images().get(0);
    RgbImage b = fp16.outputs().get(NodeId.of("save")).display().images().get(0);
    double psnr = DiffusersParityTest.psnr(a, b);
    assertTrue(psnr > 30, "fp16 vs fp32 PSNR " + psnr);
  }

  @Test
  void batchesAndLongPromptsWork() throws Exception {
    String longPrompt = String.join(" ", Collections.nCopies(40, "a red circle"));
    RunResult r = run(graph("txt2img.json", "latent.batch_size=2", "positive.text=" + longPrompt, "sampler.steps=4"),
        ExecutionListener.NONE, 0);
    assertTrue(r.succeeded(), r::failureMessage);
    assertEquals(2, latentOf(r, "sampler").dim(0));
    assertEquals(2, r.outputs().get(NodeId.of("save")).display().files().size());
    Tensor first = latentOf(r, "sampler").slice(0, 1);
    Tensor second = latentOf(r, "sampler").slice(1, 2);
    assertTrue(first.maxAbsDiff(second) > 0.1, "each picture of a batch has its own noise");
  }

  @Test
  void imageToImageAndInpaintingGraphsRun() throws Exception {
    RunResult img2img = run(graph("img2img.json", "sampler.steps=6"), ExecutionListener.NONE, 0);
    assertTrue(img2img.succeeded(), img2img::failureMessage);

    // two prompts, same seed: the kept (opaque) left half must come out the same, the masked half not
    Tensor star = latentOf(run(graph("inpaint.json", "sampler.steps=6"), ExecutionListener.NONE, 0), "sampler");
    Tensor ring = latentOf(run(graph("inpaint.json", "sampler.steps=6", "positive.text=a large blue ring"),
        ExecutionListener.NONE, 0), "sampler");
    double keptDiff = 0;
    double maskedDiff = 0;
    for (int c = 0; c < 4; c++) {
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          int i = (c * 8 + y) * 8 + x;
          double d = Math.abs(star.get(i) - ring.get(i));
          // latent columns 0..2 lie well inside the kept half, 5..7 inside the masked one
          if (x < 3) {
            keptDiff = Math.max(keptDiff, d);
          } else if (x > 4) {
            maskedDiff = Math.max(maskedDiff, d);
          }
        }
      }
    }
    assertEquals(0, keptDiff, 1e-6, "the area outside the mask is kept");
    assertTrue(maskedDiff > 0.05, "the masked area follows the prompt: " + maskedDiff);
  }

  /** KSamplerAdvanced wired in place of KSampler, with the given widget values. */
  static Graph advanced(Graph txt2img, Object... widgets) {
    Node old = txt2img.require(NodeId.of("sampler"));
    Node adv = new Node(NodeId.of("adv"), "KSamplerAdvanced", null, old.widgets(), old.position(), old.size(),
        old.mode());
    adv = adv.withWidget("denoise", null);
    for (int i = 0; i < widgets.length; i += 2) {
      adv = adv.withWidget((String) widgets[i], widgets[i + 1]);
    }
    Graph g = txt2img.withNode(adv);
    for (Link l : txt2img.linksInto(old.id())) {
      g = g.withLink(new Link(l.from(), new org.latentstudio.graph.PortRef(adv.id(), l.to().port())));
    }
    return g.withLink(Link.of("adv", "LATENT", "decode", "samples")).withoutNodes(Set.of(old.id()));
  }

  @Test
  void advancedSamplerDefaultsEqualKSampler() throws Exception {
    Graph base = graph("txt2img.json", "sampler.seed=3", "negative.text=blue square", "sampler.steps=10");
    Tensor plain = latentOf(run(base, ExecutionListener.NONE, 0), "sampler");
    Tensor adv = latentOf(run(advanced(base), ExecutionListener.NONE, 0), "adv");
    assertEquals(0f, plain.maxAbsDiff(adv));
  }

  @Test
  void separateScalesWithAnEmptyNegativeIsClassicGuidanceAgainstTheEmptyPrompt() throws Exception {
    Graph empty = graph("txt2img.json", "sampler.seed=3", "negative.text=", "sampler.steps=10");
    Tensor classic = latentOf(run(empty, ExecutionListener.NONE, 0), "sampler");
    Tensor separate = latentOf(run(advanced(empty, "negative_scale", 3.0), ExecutionListener.NONE, 0), "adv");
    assertTrue(classic.maxAbsDiff(separate) < 1e-3, "diff " + classic.maxAbsDiff(separate));

    Graph withNegative = graph("txt2img.json", "sampler.seed=3", "negative.text=blue square", "sampler.steps=10");
    Tensor scaled = latentOf(run(advanced(withNegative, "negative_scale", 3.0), ExecutionListener.NONE, 0), "adv");
    assertTrue(scaled.maxAbsDiff(separate) > 0.01, "the negative term acts");
  }

  @Test
  void aNegativeThatStartsAfterTheLastStepNeverActs() throws Exception {
    Tensor noNegative = latentOf(run(graph("txt2img.json", "sampler.seed=4", "negative.text=", "sampler.steps=8"),
        ExecutionListener.NONE, 0), "sampler");
    Graph withNegative = graph("txt2img.json", "sampler.seed=4", "negative.text=blue square", "sampler.steps=8");
    Tensor late = latentOf(run(advanced(withNegative, "negative_start_step", 8L), ExecutionListener.NONE, 0), "adv");
    assertEquals(0f, noNegative.maxAbsDiff(late));
    Tensor midway = latentOf(run(advanced(withNegative, "negative_start_step", 4L), ExecutionListener.NONE, 0), "adv");
    Tensor always = latentOf(run(advanced(withNegative), ExecutionListener.NONE, 0), "adv");
    assertTrue(midway.maxAbsDiff(noNegative) > 0 && midway.maxAbsDiff(always) > 0,
        "starting midway lies between never and always");
  }

  @Test
  void twoHalvesWithLeftoverNoiseEqualOneFullRun() throws Exception {
    Graph base = graph("txt2img.json", "sampler.seed=11", "sampler.steps=10");
    Tensor full = latentOf(run(base, ExecutionListener.NONE, 0), "sampler");
    Graph first = advanced(base, "end_at_step", 5L, "return_with_leftover_noise", true);
    Node second = new Node(NodeId.of("adv2"), "KSamplerAdvanced", null, first.require(NodeId.of("adv")).widgets(),
        org.latentstudio.graph.Vec2.ZERO, Node.DEFAULT_SIZE, org.latentstudio.graph.NodeMode.NORMAL)
        .withWidget("start_at_step", 5L).withWidget("end_at_step", 10_000L).withWidget("add_noise", false);
    Graph two = first.withNode(second)
        .withLink(Link.of("checkpoint", "MODEL", "adv2", "model"))
        .withLink(Link.of("positive", "CONDITIONING", "adv2", "positive"))
        .withLink(Link.of("negative", "CONDITIONING", "adv2", "negative"))
        .withLink(Link.of("adv", "LATENT", "adv2", "latent_image"))
        .withLink(Link.of("adv2", "LATENT", "decode", "samples"));
    RunResult r = run(two, ExecutionListener.NONE, 0);
    assertTrue(r.succeeded(), r::failureMessage);
    assertTrue(full.maxAbsDiff(latentOf(r, "adv2")) < 1e-5, "diff " + full.maxAbsDiff(latentOf(r, "adv2")));

    Tensor stopped = latentOf(run(advanced(base, "end_at_step", 5L), ExecutionListener.NONE, 0), "adv");
    assertTrue(stopped.maxAbsDiff(latentOf(r, "adv")) > 0.01,
        "without leftover noise an early stop returns the predicted clean latent, not the noisy one");
  }
}
