package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.UNetConfig;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * diffusers' {@code UNet2DConditionModel} as SD1.x configures it, as an ONNX graph with optimum's inputs and
 * output: {@code sample} [B, C, H, W], {@code timestep} float32 [1 or B], {@code encoder_hidden_states}
 * [B, tokens, cross] → {@code out_sample}. The structure follows diffusers' forward pass step by step (conv_in,
 * down blocks collecting skips, mid block, up blocks consuming them, norm/act/conv_out); every size comes from
 * the config, so a tiny config and SD1.5 take the same code.
 *
 * <p>A {@link UNetVariant} adds inputs: ControlNet residuals added to the skip connections and the mid block's
 * output, and IP-Adapter's decoupled cross-attention, {@code attn(q, k_text, v_text) + scale_i · attn(q, k_ip,
 * v_ip)} in every cross-attention layer i. {@link ControlNetGraph} reuses the encoder half (time embedding, down
 * and mid blocks).
 */
public final class UNetGraph {
  private final UNetConfig c;
  private final OnnxGraph g;
  private final Layers l;
  private final Attention attention;
  private String batch;
  private String context;
  private String tembAct;
  private long tembDim;
  /** With an IP-Adapter: the image tokens as [B·tokens, cross], the scale vector, the layers by module name. */
  private String ipContext;
  private String ipScale;
  private final Map<String, CrossAttentionLayers.Layer> ipLayers = new HashMap<>();

  UNetGraph(UNetConfig c, OnnxGraph g, Layers l, CompileOptions o) {
    this.c = c;
    this.g = g;
    this.l = l;
    this.attention = new Attention(l, o.fusedAttention());
  }

  /**
   * @param weights the UNet's weights by diffusers name
   * @param folder  the folder of the weight file(s)
   * @param origin  the file, for messages
   */
  public static CompiledGraph build(UNetConfig c, WeightSet weights, Path folder, CompileOptions o, String origin)
      throws CheckpointException {
    return build(c, weights, folder, o, origin, UNetVariant.PLAIN);
  }

  /**
   * A variant with extra inputs. An IP-Adapter's weights live in another file: the graph's weights folder is then
   * the folder both files are under ({@link CompiledGraph#weightsFolder()}).
   */
  public static CompiledGraph build(UNetConfig c, WeightSet weights, Path folder, CompileOptions o, String origin,
      UNetVariant variant) throws CheckpointException {
    OnnxGraph g = new OnnxGraph("unet");
    WeightSet all = variant.ipAdapter() == null ? weights : weights.plus(variant.ipAdapter().weights());
    Path root = weightsFolder(folder, variant);
    WeightBinder w = new WeightBinder(g, all, root, o.computeType(), "UNet");
    new UNetGraph(c, g, new Layers(g, w), o).write(o.computeType(), variant);
    w.check(origin, List.of(""), Set.of());
    return new CompiledGraph("UNet", g.model(Compiler.VERSION).toByteArray(), root);
  }

  /** The folder a variant's external weights are named relative to: the UNet's, or one holding the adapter too. */
  public static Path weightsFolder(Path unetFolder, UNetVariant variant) {
    return variant.ipAdapter() == null ? unetFolder
        : WeightBinder.commonFolder(unetFolder, variant.ipAdapter().folder());
  }

  /** The timestep embedding and text context, shared by the UNet and the ControlNet. */
  void inputs(String sample, String timestep, String hidden) {
    batch = l.batchOf(sample);
    context = g.op("Reshape", List.of(hidden, g.longs(-1, c.crossAttentionDim())));
    timeEmbedding(timestep);
  }

  private void write(int type, UNetVariant variant) {
    String sample = g.input("sample", type, "batch", (long) c.inChannels(), "height", "width");
    String timestep = g.input("timestep", OnnxGraph.FLOAT, "steps");
    String hidden = g.input("encoder_hidden_states", type, "batch", "sequence", (long) c.crossAttentionDim());
    inputs(sample, timestep, hidden);
    if (variant.ipAdapter() != null) {
      List<CrossAttentionLayers.Layer> layers = CrossAttentionLayers.of(c);
      String tokens = g.input(UNetVariant.IP_TOKENS, type, "batch", (long) variant.ipAdapter().tokens(),
          (long) c.crossAttentionDim());
      ipContext = g.op("Reshape", List.of(tokens, g.longs(-1, c.crossAttentionDim())));
      ipScale = g.input(UNetVariant.IP_SCALE, OnnxGraph.FLOAT, (long) layers.size());
      layers.forEach(layer -> ipLayers.put(layer.prefix(), layer));
    }

    String h = convIn(sample);
    Deque<Skip> skips = new ArrayDeque<>();
    skips.push(new Skip(h, c.blockOutChannels()[0]));
    h = down(h, skips);
    if (c.midBlock()) {
      h = mid(h);
    }
    if (variant.controlResiduals()) {
      h = addResiduals(h, skips, type);
    }
    h = up(h, skips);
    long ch0 = c.blockOutChannels()[0];
    h = l.silu(l.groupNorm(h, "conv_norm_out", ch0, c.normGroups(), c.normEps()));
    h = l.conv(h, "conv_out", ch0, c.outChannels(), c.convOutKernel(), 1);
    g.output(h, "out_sample", type, "batch", (long) c.outChannels(), "height", "width");
  }

  /** The first conv (after diffusers' optional centring of the input). */
  String convIn(String sample) {
    String x = c.centerInputSample() ? g.op("Sub", List.of(l.mul(sample, l.scalar(2f)), l.scalar(1f))) : sample;
    return l.conv(x, "conv_in", c.inChannels(), c.blockOutChannels()[0], c.convInKernel(), 1);
  }

  /** A skip connection: a down block's output that an up block consumes. */
  record Skip(String value, long channels) {}

  /**
   * diffusers' {@code down_block_res_sample + down_block_additional_residual} for every skip and
   * {@code sample + mid_block_additional_residual}, with the residuals as graph inputs.
   */
  private String addResiduals(String h, Deque<Skip> skips, int type) {
    List<Skip> inOrder = new ArrayList<>(skips);
    java.util.Collections.reverse(inOrder); // the stack holds the deepest first; residual 0 is conv_in's output
    skips.clear();
    for (int i = 0; i < inOrder.size(); i++) {
      Skip s = inOrder.get(i);
      String r = g.input(UNetVariant.downResidual(i), type, "batch", s.channels(), "height_" + i, "width_" + i);
      skips.push(new Skip(l.add(s.value(), r), s.channels()));
    }
    long ch = c.blockOutChannels()[c.levels() - 1];
    String mid = g.input(UNetVariant.MID_RESIDUAL, type, "batch", ch, "height_mid", "width_mid");
    return l.add(h, mid);
  }

  /** The number of skip connections, which is the number of ControlNet down residuals. */
  static int skipCount(UNetConfig c) {
    int n = 1;
    for (int i = 0; i < c.levels(); i++) {
      n += c.layersPerBlock()[i] + (i < c.levels() - 1 ? 1 : 0);
    }
    return n;
  }

  /** Sinusoidal projection (diffusers' get_timestep_embedding) and the two-layer MLP; SiLU of it feeds resnets. */
  private void timeEmbedding(String timestep) {
    int dim = c.blockOutChannels()[0];
    int half = dim / 2;
    float[] freqs = new float[half];
    float logPeriod = (float) -Math.log(10000);
    for (int i = 0; i < half; i++) {
      // as torch: float32 arange × -log(10000), / (half - shift), exp
      freqs[i] = (float) Math.exp((i * logPeriod) / (float) (half - c.freqShift()));
    }
    String args = g.op("Mul", List.of(g.op("Unsqueeze", List.of(timestep, g.longs(1))), g.floats(freqs, 1, half)));
    String sin = g.op("Sin", args);
    String cos = g.op("Cos", args);
    String emb = g.op("Concat", c.flipSinToCos() ? List.of(cos, sin) : List.of(sin, cos), Attr.i("axis", 1));
    if (dim % 2 == 1) {
      emb = g.op("Pad", List.of(emb, g.longs(0, 0, 0, 1)));
    }
    emb = l.cast(emb);
    tembDim = 4L * dim;
    String t = l.linear(emb, "time_embedding.linear_1", dim, tembDim, true);
    t = l.linear(l.silu(t), "time_embedding.linear_2", tembDim, tembDim, true);
    tembAct = l.silu(t);
  }

  String down(String h, Deque<Skip> skips) {
    long prev = c.blockOutChannels()[0];
    for (int i = 0; i < c.levels(); i++) {
      long out = c.blockOutChannels()[i];
      String block = "down_blocks." + i;
      for (int j = 0; j < c.layersPerBlock()[i]; j++) {
        h = resnet(h, block + ".resnets." + j, j == 0 ? prev : out, out, 1.0);
        if (c.crossAttnBlocks()[i]) {
          h = transformer(h, block + ".attentions." + j, out, c.headsPerBlock()[i], c.transformerLayers()[i]);
        }
        skips.push(new Skip(h, out));
      }
      if (i < c.levels() - 1) {
        h = l.conv(h, block + ".downsamplers.0.conv", out, out, 3, 2);
        skips.push(new Skip(h, out));
      }
      prev = out;
    }
    return h;
  }

  String mid(String h) {
    int last = c.levels() - 1;
    long ch = c.blockOutChannels()[last];
    h = resnet(h, "mid_block.resnets.0", ch, ch, c.midBlockScale());
    h = transformer(h, "mid_block.attentions.0", ch, c.headsPerBlock()[last], c.transformerLayers()[last]);
    return resnet(h, "mid_block.resnets.1", ch, ch, c.midBlockScale());
  }

  private String up(String h, Deque<Skip> skips) {
    int n = c.levels();
    long prevOut = c.blockOutChannels()[n - 1];
    for (int i = 0; i < n; i++) {
      int level = n - 1 - i;
      long out = c.blockOutChannels()[level];
      String block = "up_blocks." + i;
      int layers = c.layersPerBlock()[level] + 1;
      for (int j = 0; j < layers; j++) {
        Skip skip = skips.pop();
        long in = j == 0 ? prevOut : out;
        h = g.op("Concat", List.of(h, skip.value()), Attr.i("axis", 1));
        h = resnet(h, block + ".resnets." + j, in + skip.channels(), out, 1.0);
        if (c.crossAttnUpBlocks()[i]) {
          h = transformer(h, block + ".attentions." + j, out, c.headsPerBlock()[level], c.transformerLayers()[level]);
        }
      }
      if (i < n - 1) {
        h = upsample(h, skips.peek().value());
        h = l.conv(h, block + ".upsamplers.0.conv", out, out, 3, 1);
      }
      prevOut = out;
    }
    return h;
  }

  /** Nearest-neighbour resize to the spatial size of the next skip, as diffusers' Upsample2D (exactly ×2 when even). */
  private String upsample(String h, String like) {
    String sizes = g.op("Concat", List.of(g.op("Slice", List.of(g.op("Shape", h), g.longs(0), g.longs(2))),
        g.op("Slice", List.of(g.op("Shape", like), g.longs(2), g.longs(4)))), Attr.i("axis", 0));
    return g.op("Resize", List.of(h, "", "", sizes), Attr.s("mode", "nearest"),
        Attr.s("coordinate_transformation_mode", "asymmetric"), Attr.s("nearest_mode", "floor"));
  }

  private String resnet(String h, String prefix, long in, long out, double scale) {
    double s = prefix.startsWith("mid") ? scale : c.resnetOutScale();
    return ResnetBlock.apply(l, h, tembAct, prefix, in, out, tembDim, c.normGroups(), c.normEps(), s);
  }

  /** diffusers' Transformer2DModel (the "spatial transformer"): norm, proj_in, blocks, proj_out, residual. */
  private String transformer(String h, String p, long ch, int heads, int layers) {
    String normed = l.groupNorm(h, p + ".norm", ch, c.normGroups(), 1e-6);
    String t;
    if (c.useLinearProjection()) {
      t = l.linear(l.toTokens(normed, ch), p + ".proj_in", ch, ch, true);
    } else {
      t = l.toTokens(l.conv(normed, p + ".proj_in", ch, ch, 1, 1, 0, 0, 0, 0), ch);
    }
    for (int k = 0; k < layers; k++) {
      t = basicBlock(t, p + ".transformer_blocks." + k, ch, heads);
    }
    String out;
    if (c.useLinearProjection()) {
      out = l.fromTokens(l.linear(t, p + ".proj_out", ch, ch, true), h);
    } else {
      out = l.conv(l.fromTokens(t, h), p + ".proj_out", ch, ch, 1, 1, 0, 0, 0, 0);
    }
    return l.add(out, h);
  }

  /** Self-attention, cross-attention to the text, GEGLU feed-forward; each pre-normed with a residual. */
  private String basicBlock(String t, String p, long ch, int heads) {
    String a = l.layerNorm(t, p + ".norm1", ch, 1e-5);
    t = l.add(attention(a, a, p + ".attn1", ch, ch, heads), t);
    a = l.layerNorm(t, p + ".norm2", ch, 1e-5);
    t = l.add(attention(a, context, p + ".attn2", ch, c.crossAttentionDim(), heads), t);
    a = l.layerNorm(t, p + ".norm3", ch, 1e-5);
    long inner = 4 * ch;
    String proj = l.linear(a, p + ".ff.net.0.proj", ch, 2 * inner, true);
    String[] parts = g.ops("Split", 2, List.of(proj, g.longs(inner, inner)), Attr.i("axis", 1));
    String ff = l.linear(l.mul(parts[0], l.gelu(parts[1])), p + ".ff.net.2", inner, ch, true);
    return l.add(ff, t);
  }

  private String attention(String x, String kv, String p, long ch, long kvDim, int heads) {
    String q = l.linear(x, p + ".to_q", ch, ch, false);
    String k = l.linear(kv, p + ".to_k", kvDim, ch, false);
    String v = l.linear(kv, p + ".to_v", kvDim, ch, false);
    String o = attention.attend(q, k, v, batch, heads, ch, Attention.Scale.SCORES, null, c.upcastAttention());
    CrossAttentionLayers.Layer ip = ipLayers.get(p);
    if (ip != null) {
      o = l.add(o, imageAttention(q, ip, ch, heads));
    }
    return l.linear(o, p + ".to_out.0", ch, ch, true);
  }

  /**
   * IP-Adapter's extra term, as diffusers' IPAdapterAttnProcessor computes it: the same queries attend to the
   * image tokens through the layer's own {@code to_k_ip}/{@code to_v_ip}, times the layer's scale.
   */
  private String imageAttention(String q, CrossAttentionLayers.Layer layer, long ch, int heads) {
    String prefix = "ip_adapter." + layer.fileKey();
    return g.scoped(prefix, () -> {
      String k = l.linear(ipContext, prefix + ".to_k_ip", c.crossAttentionDim(), ch, false);
      String v = l.linear(ipContext, prefix + ".to_v_ip", c.crossAttentionDim(), ch, false);
      String o = attention.attend(q, k, v, batch, heads, ch, Attention.Scale.SCORES, null, c.upcastAttention());
      String scale = l.cast(g.op("Gather", List.of(ipScale, g.longs(layer.index()))));
      return l.mul(o, scale);
    });
  }
}
