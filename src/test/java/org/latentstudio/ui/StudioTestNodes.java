package org.latentstudio.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;
import org.latentstudio.nodes.BuiltinNodes;

/**
 * Stand-ins for the diffusion nodes, so the studio's run panel can be tested without models:
 * {@code TestCheckpointLoader(ckpt_name: checkpoint file) -> MODEL}, {@code TestSampler(model?, seed, steps,
 * step_ms, cfg) -> IMAGE} (reports progress and a preview every step, and stops when cancelled),
 * {@code TestSaveImage(images)} (writes a PNG with the workflow inside, an output node) and
 * {@code Boom(a)} (fails with a user-facing message).
 */
public final class StudioTestNodes {
  public final AtomicInteger samplerSteps = new AtomicInteger();
  public final AtomicInteger samplerRuns = new AtomicInteger();
  public volatile CountDownLatch samplerStarted = new CountDownLatch(1);

  /** The built-in catalog plus the stand-ins. */
  public NodeRegistry registry() {
    return BuiltinNodes.registry()
        .register(new Loader())
        .register(new Sampler())
        .register(new Save())
        .register(new Boom());
  }

  static final OutPort<String> MODEL = OutPort.of("MODEL", PortType.MODEL, String.class);
  static final OutPort<RgbImage> IMAGE = OutPort.of("IMAGE", PortType.IMAGE, RgbImage.class);

  static final class Loader implements NodeType {
    static final InPort<String> CKPT = InPort.text("ckpt_name", "").file("checkpoint");

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("TestCheckpointLoader", "Test Checkpoint Loader", "test/loaders", List.of(CKPT),
          List.of(MODEL));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      return Outputs.of(MODEL, in.get(CKPT));
    }
  }

  final class Sampler implements NodeType {
    static final InPort<String> IN_MODEL = InPort.linked("model", PortType.MODEL, String.class).optional();
    static final InPort<Long> SEED = InPort.integer("seed", 42, 0, 0xffff_ffff_ffffL).seed();
    static final InPort<Long> STEPS = InPort.integer("steps", 8, 1, 1000);
    static final InPort<Long> STEP_MS = InPort.integer("step_ms", 15, 0, 10_000);
    static final InPort<Double> CFG = InPort.number("cfg", 7.0, 0, 30).step(0.5);
    static final InPort<String> SAMPLER = InPort.choice("sampler_name", "euler", List.of("euler", "dpmpp_2m", "ddim"));

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("TestSampler", "Test Sampler", "test/sampling",
          List.of(IN_MODEL, SEED, STEPS, STEP_MS, CFG, SAMPLER), List.of(IMAGE));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      samplerRuns.incrementAndGet();
      samplerStarted.countDown();
      int steps = in.getInt(STEPS);
      long ms = in.get(STEP_MS);
      long seed = in.get(SEED);
      for (int s = 1; s <= steps; s++) {
        if (ms > 0) {
          Thread.sleep(ms);
        }
        samplerSteps.incrementAndGet();
        ctx.progress(s, steps); // throws once cancelled: the sampler stops within one step
        ctx.preview(picture(16, seed, (double) s / steps));
      }
      return Outputs.of(IMAGE, picture(64, seed, 1));
    }
  }

  /** A gradient whose colour depends on the seed, brighter as the "sampling" goes on. */
  static RgbImage picture(int size, long seed, double t) {
    byte[] rgb = new byte[size * size * 3];
    int r0 = (int) (seed * 37 % 200) + 30;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = (y * size + x) * 3;
        rgb[i] = (byte) (r0 * t);
        rgb[i + 1] = (byte) (255 * x / size * t);
        rgb[i + 2] = (byte) (255 * y / size * t);
      }
    }
    return new RgbImage(size, size, rgb);
  }

  static final class Save implements NodeType {
    static final InPort<RgbImage> IMAGES = InPort.linked("images", PortType.IMAGE, RgbImage.class);
    static final InPort<String> PREFIX = InPort.text("filename_prefix", "test");

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("TestSaveImage", "Test Save Image", "test/image", List.of(IMAGES, PREFIX), List.of())
          .asOutputNode();
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      RgbImage img = in.get(IMAGES);
      Path dir = ctx.settings().outputDir();
      Files.createDirectories(dir);
      Path file;
      try (var s = Files.list(dir)) {
        file = dir.resolve(in.get(PREFIX) + "_" + String.format("%05d", s.count() + 1) + ".png");
      }
      try {
        try (var out = Files.newOutputStream(file)) {
          PngText.write(img, Map.of("workflow", ctx.workflowJson()), out);
        }
      } catch (IOException e) {
        throw new NodeException("cannot write " + file + ": " + e.getMessage(), e);
      }
      List<RgbImage> images = new ArrayList<>(List.of(img));
      return Outputs.none().withDisplay(Display.images(images, List.of(file)));
    }
  }

  static final class Boom implements NodeType {
    static final InPort<Long> A = InPort.integer("a", 0, -100, 100);
    static final OutPort<Long> INT = OutPort.of("INT", PortType.INT, Long.class);

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Boom", "Boom", "test", List.of(A), List.of(INT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      throw new NodeException("the model file is missing; put it in the models folder");
    }
  }
}
