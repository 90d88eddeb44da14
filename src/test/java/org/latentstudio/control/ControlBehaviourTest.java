package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.GraphBuilder;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ControlNet and IP-Adapter nodes do besides matching diffusers, on the tiny models: strength and weight 0
 * leave the picture bit for bit as without them (the UNet variant is fed zeros); the window is honoured; a
 * control on the positive prompt only differs from one on both; a control image of another size is fitted and
 * the sampler says so; a new seed does not run the vision encoder again.
 */
class ControlBehaviourTest extends AppTest {
  static Path dir = TestModels.control();

  @TempDir
  static Path out;

  static GraphBuilder base(long seed) {
    return ControlGraphs.base(dir.resolve("tiny-sd"), "a red circle on a blue background", seed, 8, 7.5, 64);
  }

  /** Runs with the node cache as it is (for the caching test); {@link #latents} clears it first. */
  static RunResult run(Graph g, ExecutionListener listener) {
    RunResult r = app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), ""), listener,
        new CancellationToken());
    assertTrue(r.succeeded(), r::failureMessage);
    return r;
  }

  static Tensor latents(RunResult r) {
    return ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples();
  }

  /** A fresh run of every node: a graph identical to an earlier one would otherwise come from the node cache. */
  static RunResult fresh(Graph g) {
    app.executor().cache().clear();
    return run(g, ExecutionListener.NONE);
  }

  static Tensor controlled(double strength, double start, double end) {
    return latents(fresh(ControlGraphs.controlled(base(3), new Path[] {dir.resolve("controlnet-a")},
        new Path[] {dir.resolve("control_a.png")}, new double[] {strength}, start, end).build()));
  }

  @Test
  void zeroStrengthAndWeightAreBitIdenticalToNone() {
    Tensor none = latents(fresh(ControlGraphs.plain(base(3)).build()));
    assertArrayEquals(none.data(), controlled(0, 0, 1).data(), "ControlNet at strength 0");
    Tensor ip = latents(fresh(ControlGraphs.ipAdapter(base(3), dir.resolve("ip-adapter.safetensors"),
        dir.resolve("image_encoder"), dir.resolve("ip_reference.png"), 0, "linear", 0, 1).build()));
    assertArrayEquals(none.data(), ip.data(), "IP-Adapter at weight 0");
    // and the controls do act at other strengths (else the comparisons above would prove nothing)
    assertTrue(controlled(1, 0, 1).maxAbsDiff(none) > 1);
  }

  @Test
  void theWindowGatesByNoiseLevel() {
    Tensor full = controlled(1, 0, 1);
    Tensor early = controlled(1, 0, 0.5);
    Tensor late = controlled(1, 0.5, 1);
    Tensor never = controlled(1, 0.9999, 1);
    Tensor none = latents(fresh(ControlGraphs.plain(base(3)).build()));
    assertTrue(early.maxAbsDiff(full) > 1e-2, "ending at 50 % changes the result");
    assertTrue(late.maxAbsDiff(full) > 1e-2, "starting at 50 % changes the result");
    assertTrue(early.maxAbsDiff(late) > 1e-2);
    assertTrue(early.maxAbsDiff(none) > 1e-2);
    // a window below the last step's noise level is never active: zeros throughout, as without a control
    assertArrayEquals(none.data(), never.data());
  }

  @Test
  void aControlNetAndAnIpAdapterTogetherUseOneUNetWithBoth() {
    GraphBuilder g = base(3).node("cn", "ControlNetLoader", "control_net_name", dir.resolve("controlnet-a").toString())
        .node("img", "LoadImage", "image", dir.resolve("control_a.png").toString())
        .node("apply", "ControlNetApplyAdvanced", "strength", 1.0)
        .link("pos.CONDITIONING", "apply.positive").link("neg.CONDITIONING", "apply.negative")
        .link("cn.CONTROL_NET", "apply.control_net").link("img.IMAGE", "apply.image")
        .node("ipa", "IPAdapterModelLoader", "ipadapter_file", dir.resolve("ip-adapter.safetensors").toString())
        .node("vision", "CLIPVisionLoader", "clip_name", dir.resolve("image_encoder").toString())
        .node("ref", "LoadImage", "image", dir.resolve("ip_reference.png").toString())
        .node("apply_ip", "IPAdapterAdvanced", "weight", 1.0)
        .link("ckpt.MODEL", "apply_ip.model").link("ipa.IPADAPTER", "apply_ip.ipadapter")
        .link("vision.CLIP_VISION", "apply_ip.clip_vision").link("ref.IMAGE", "apply_ip.image")
        .link("apply_ip.MODEL", "sampler.model")
        .link("apply.positive", "sampler.positive").link("apply.negative", "sampler.negative");
    Tensor both = latents(fresh(g.build()));
    Tensor control = controlled(1, 0, 1);
    Tensor ip = latents(fresh(ControlGraphs.ipAdapter(base(3), dir.resolve("ip-adapter.safetensors"),
        dir.resolve("image_encoder"), dir.resolve("ip_reference.png"), 1, "linear", 0, 1).build()));
    assertTrue(both.maxAbsDiff(control) > 1e-2 && both.maxAbsDiff(ip) > 1e-2);
  }

  @Test
  void memoryHoldsOneUNetOfTheCheckpoint() {
    RunResult controlled = fresh(ControlGraphs.controlled(base(3), new Path[] {dir.resolve("controlnet-a")},
        new Path[] {dir.resolve("control_a.png")}, new double[] {1}, 0, 1).build());
    var model = ((org.latentstudio.nodes.values.Checkpoint) controlled.outputs().get(NodeId.of("ckpt")).get("MODEL"))
        .model();
    var residualVariant = model.compiledUnet().unet(new org.latentstudio.compiler.UNetVariant(true, null));
    var runtime = app.runtime();
    assertTrue(runtime.isLoaded(residualVariant) && !runtime.isLoaded(model.unet()), "the residual variant alone");
    fresh(ControlGraphs.plain(base(3)).build());
    assertTrue(runtime.isLoaded(model.unet()) && !runtime.isLoaded(residualVariant), "the plain UNet alone");
  }

  @Test
  void positiveOnlyControlDiffersFromBoth() {
    GraphBuilder g = base(3).node("cn", "ControlNetLoader", "control_net_name", dir.resolve("controlnet-a").toString())
        .node("img", "LoadImage", "image", dir.resolve("control_a.png").toString())
        .node("apply", "ControlNetApply", "strength", 1.0)
        .link("pos.CONDITIONING", "apply.conditioning").link("cn.CONTROL_NET", "apply.control_net")
        .link("img.IMAGE", "apply.image").link("ckpt.MODEL", "sampler.model")
        .link("apply.CONDITIONING", "sampler.positive").link("neg.CONDITIONING", "sampler.negative");
    Tensor positiveOnly = latents(fresh(g.build()));
    Tensor both = controlled(1, 0, 1);
    Tensor none = latents(fresh(ControlGraphs.plain(base(3)).build()));
    assertTrue(positiveOnly.maxAbsDiff(both) > 1e-2);
    assertTrue(positiveOnly.maxAbsDiff(none) > 1e-2);
  }

  @Test
  void aControlImageOfAnotherSizeIsFittedAndReported() throws Exception {
    BufferedImage wide = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
    wide.getGraphics().fillOval(40, 20, 40, 40);
    Path file = out.resolve("wide-control.png");
    ImageIO.write(wide, "png", file.toFile());
    RunResult r = run(ControlGraphs.controlled(base(3), new Path[] {dir.resolve("controlnet-a")}, new Path[] {file},
        new double[] {1}, 0, 1).build(), ExecutionListener.NONE);
    String said = String.join("\n", r.outputs().get(NodeId.of("sampler")).display().text());
    assertTrue(said.contains("resized from 120×80 to 64×64") && said.contains("centre-cropped to 80×80"), said);
    assertTrue(r.outputs().get(NodeId.of("apply0")).display().thumbnail() != null, "the node shows its image");
  }

  @Test
  void aNewSeedDoesNotEncodeTheReferenceAgain() {
    app.executor().cache().clear();
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    ExecutionListener recorder = new ExecutionListener() {
      @Override
      public void nodeStarted(NodeId id, String type) {
        started.add(id.value());
      }
    };
    Tensor first = latents(run(ControlGraphs.ipAdapter(base(5), dir.resolve("ip-adapter.safetensors"),
        dir.resolve("image_encoder"), dir.resolve("ip_reference.png"), 1, "linear", 0, 1).build(), recorder));
    assertTrue(started.contains("apply_ip"));
    started.clear();
    Tensor second = latents(run(ControlGraphs.ipAdapter(base(6), dir.resolve("ip-adapter.safetensors"),
        dir.resolve("image_encoder"), dir.resolve("ip_reference.png"), 1, "linear", 0, 1).build(), recorder));
    assertTrue(started.contains("sampler"));
    assertFalse(started.contains("apply_ip") || started.contains("vision"), "ran again: " + started);
    assertTrue(first.maxAbsDiff(second) > 1e-2);
  }
}
