package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ControlNetConfig;
import org.latentstudio.checkpoint.UNetConfig;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * diffusers' {@code ControlNetModel} as an ONNX graph with OnnxStack's names: {@code sample}, {@code timestep},
 * {@code encoder_hidden_states}, {@code controlnet_cond} [B, 3, 8h, 8w] in 0–1 and {@code conditioning_scale}
 * [1] → {@code down_block_<i>_additional_residual} (one per skip connection of the UNet) and
 * {@code mid_block_additional_residual}, already times the scale. The encoder half is {@link UNetGraph}'s own
 * code, so the residuals line up with the UNet's skips by construction.
 */
public final class ControlNetGraph {
  private ControlNetGraph() {}

  public static CompiledGraph build(ControlNetConfig c, WeightSet weights, Path folder, CompileOptions o,
      String origin) throws CheckpointException {
    OnnxGraph g = new OnnxGraph("controlnet");
    int type = o.computeType();
    WeightBinder w = new WeightBinder(g, weights, folder, type, "ControlNet");
    Layers l = new Layers(g, w);
    UNetGraph encoder = new UNetGraph(c.unet(), g, l, o);
    var u = c.unet();
    String sample = g.input("sample", type, "batch", (long) u.inChannels(), "height", "width");
    String timestep = g.input("timestep", OnnxGraph.FLOAT, "steps");
    String hidden = g.input("encoder_hidden_states", type, "batch", "sequence", (long) u.crossAttentionDim());
    String cond = g.input("controlnet_cond", type, "batch", (long) c.conditioningChannels(), "image_height",
        "image_width");
    String scale = l.cast(g.input("conditioning_scale", OnnxGraph.FLOAT, 1L));
    encoder.inputs(sample, timestep, hidden);

    String h = encoder.convIn(sample);
    h = l.add(h, conditioningEmbedding(c, g, l, cond));
    Deque<UNetGraph.Skip> skips = new ArrayDeque<>();
    skips.push(new UNetGraph.Skip(h, u.blockOutChannels()[0]));
    h = encoder.down(h, skips);
    if (u.midBlock()) {
      h = encoder.mid(h);
    }
    List<UNetGraph.Skip> inOrder = new ArrayList<>(skips);
    java.util.Collections.reverse(inOrder);
    for (int i = 0; i < inOrder.size(); i++) {
      UNetGraph.Skip s = inOrder.get(i);
      String r = l.conv(s.value(), "controlnet_down_blocks." + i, s.channels(), s.channels(), 1, 1, 0, 0, 0, 0);
      g.output(residual(c, g, l, r, scale), UNetVariant.downResidual(i), type, "batch", s.channels(),
          "height_" + i, "width_" + i);
    }
    long ch = u.blockOutChannels()[u.levels() - 1];
    String mid = l.conv(h, "controlnet_mid_block", ch, ch, 1, 1, 0, 0, 0, 0);
    g.output(residual(c, g, l, mid, scale), UNetVariant.MID_RESIDUAL, type, "batch", ch, "height_mid", "width_mid");
    w.check(origin, List.of(""), Set.of());
    return new CompiledGraph("ControlNet", g.model(Compiler.VERSION).toByteArray(), folder);
  }

  /**
   * The shapes of the residuals for a latent of [batch, *, h, w] (down residuals, then the mid one): what a
   * ControlNet gives and a residual UNet variant takes.
   */
  public static int[][] residualShapes(UNetConfig c, int batch, int h, int w) {
    java.util.List<int[]> out = new ArrayList<>();
    out.add(new int[] {batch, c.blockOutChannels()[0], h, w});
    for (int i = 0; i < c.levels(); i++) {
      for (int j = 0; j < c.layersPerBlock()[i]; j++) {
        out.add(new int[] {batch, c.blockOutChannels()[i], h, w});
      }
      if (i < c.levels() - 1) {
        // a 3×3 conv of stride 2 and padding 1
        h = (h - 1) / 2 + 1;
        w = (w - 1) / 2 + 1;
        out.add(new int[] {batch, c.blockOutChannels()[i], h, w});
      }
    }
    out.add(new int[] {batch, c.blockOutChannels()[c.levels() - 1], h, w});
    return out.toArray(int[][]::new);
  }

  /** diffusers' ControlNetConditioningEmbedding: conv, SiLU, then (conv, SiLU, stride-2 conv, SiLU) per step, conv. */
  private static String conditioningEmbedding(ControlNetConfig c, OnnxGraph g, Layers l, String cond) {
    String x = c.bgr() ? g.op("Slice", List.of(cond, g.longs(-1), g.longs(Long.MIN_VALUE), g.longs(1), g.longs(-1)))
        : cond;
    int[] ch = c.embeddingChannels();
    String p = "controlnet_cond_embedding";
    x = l.silu(l.conv(x, p + ".conv_in", c.conditioningChannels(), ch[0], 3, 1));
    for (int i = 0; i < ch.length - 1; i++) {
      x = l.silu(l.conv(x, p + ".blocks." + (2 * i), ch[i], ch[i], 3, 1));
      x = l.silu(l.conv(x, p + ".blocks." + (2 * i + 1), ch[i], ch[i + 1], 3, 2));
    }
    return l.conv(x, p + ".conv_out", ch[ch.length - 1], c.unet().blockOutChannels()[0], 3, 1);
  }

  /** Times the scale; the shuffle ControlNet's residuals are their spatial means, spread back to full size. */
  private static String residual(ControlNetConfig c, OnnxGraph g, Layers l, String r, String scale) {
    String scaled = l.mul(r, scale);
    if (!c.globalPool()) {
      return scaled;
    }
    String mean = g.op("ReduceMean", scaled, Attr.ints("axes", 2, 3), Attr.i("keepdims", 1));
    return g.op("Expand", List.of(mean, g.op("Shape", scaled)));
  }
}
