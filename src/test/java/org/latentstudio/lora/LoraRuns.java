package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.latentstudio.app.AppContext;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.NodeExecutionException;
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
import org.latentstudio.testing.TestModels;

/**
 * Runs the shipped {@code graphs/lora.json} (or {@code graphs/txt2img.json} for no LoRA) on a model, with a chain of
 * LoRA loaders set as a user would: the first loader is the graph's own {@code lora} node, further ones are chained
 * after it. The settings are those of the LoRA parity set (src/test/resources/lora/cases.json).
 */
final class LoraRuns {
  static final Path DIR = TestModels.resources().resolve("lora");
  static final Path TINY_DIFFUSERS = TestModels.resources().resolve("models/tiny-sd-diffusers");

  /** One loader of the chain. */
  record Lora(Path file, double strengthModel, double strengthClip) {
    static Lora of(String file, double model, double clip) {
      return new Lora(DIR.resolve(file), model, clip);
    }
  }

  /** What a run gave: the sampler's latents, the saved picture, what each node showed, and the warnings. */
  record Run(Tensor latents, RgbImage image, RunResult result, List<String> warnings) {
    List<String> shown(String node) {
      return result.outputs().get(NodeId.of(node)).display().text();
    }
  }

  private LoraRuns() {}

  static List<String> settings(Path model) {
    return List.of("checkpoint.path=" + model, "positive.text=a red circle on a blue background", "negative.text=",
        "sampler.seed=7", "sampler.steps=20", "sampler.cfg=7.5", "sampler.sampler_name=euler",
        "sampler.scheduler=leading", "latent.width=64", "latent.height=64");
  }

  static Run run(AppContext app, Path model, Path out, List<Lora> chain) throws Exception {
    RunResult r = result(app, graph(app, model, chain), out);
    assertTrue(r.succeeded(), r::failureMessage);
    return done(r, List.of());
  }

  /** Runs and returns the result even when it failed, with the warnings the nodes gave. */
  static Run attempt(AppContext app, Path model, Path out, List<Lora> chain) throws Exception {
    List<String> warnings = new ArrayList<>();
    app.executor().cache().clear();
    RunResult r = app.executor().run(new RunRequest(graph(app, model, chain), Set.of(), new RunSettings(out, 0), ""),
        new ExecutionListener() {
          @Override
          public void warning(NodeId id, String message) {
            warnings.add(id + ": " + message);
          }
        }, new CancellationToken());
    return r.succeeded() ? done(r, warnings) : new Run(null, null, r, warnings);
  }

  /** The message of the node that failed. */
  static String failure(Run run) {
    assertTrue(!run.result().succeeded(), "the run should have failed");
    NodeExecutionException e = run.result().error();
    return e != null ? e.reason() : run.result().failureMessage();
  }

  private static Run done(RunResult r, List<String> warnings) {
    Tensor latents = ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples();
    return new Run(latents, r.outputs().get(NodeId.of("save")).display().images().get(0), r, warnings);
  }

  private static RunResult result(AppContext app, Graph g, Path out) {
    app.executor().cache().clear(); // every run evaluates the sampler (sessions stay loaded)
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), ""), ExecutionListener.NONE,
        new CancellationToken());
  }

  static Graph graph(AppContext app, Path model, List<Lora> chain) throws Exception {
    WorkflowCodec codec = new WorkflowCodec();
    List<String> sets = new ArrayList<>(settings(model));
    if (chain.isEmpty()) {
      return Overrides.apply(codec.read(Path.of("graphs", "txt2img.json")).graph(), app.registry(), sets);
    }
    Lora first = chain.getFirst();
    sets.add("lora.lora_name=" + first.file());
    sets.add("lora.strength_model=" + first.strengthModel());
    sets.add("lora.strength_clip=" + first.strengthClip());
    Graph g = Overrides.apply(codec.read(Path.of("graphs", "lora.json")).graph(), app.registry(), sets);
    String previous = "lora";
    for (int i = 1; i < chain.size(); i++) {
      Lora l = chain.get(i);
      String id = "lora" + (i + 1);
      g = g.withNode(Node.of(id, "LoraLoader").withWidget("lora_name", l.file().toString())
          .withWidget("strength_model", l.strengthModel()).withWidget("strength_clip", l.strengthClip()))
          .withLink(Link.of(previous, "MODEL", id, "model")).withLink(Link.of(previous, "CLIP", id, "clip"))
          .withLink(Link.of(id, "MODEL", "sampler", "model")).withLink(Link.of(id, "CLIP", "positive", "clip"))
          .withLink(Link.of(id, "CLIP", "negative", "clip"));
      previous = id;
    }
    return g;
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
