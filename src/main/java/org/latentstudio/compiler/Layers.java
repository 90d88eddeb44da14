package org.latentstudio.compiler;

import java.util.List;
import org.latentstudio.compiler.OnnxGraph.Attr;

/**
 * The building blocks Stable Diffusion's networks are made of, written as ONNX nodes with their weights
 * bound by parameter name. Activations of token sequences are kept 2-D ([batch·tokens, channels]) so every
 * Linear is one Gemm on the weight as stored ([out, in], transB), which needs no transposed copy; they
 * become 4-D only inside attention.
 *
 * <p>Where torch has a fused op that ONNX lacks, the graph spells out what torch computes, in the same order:
 * GroupNorm is InstanceNormalization over [batch, groups, rest] followed by the per-channel affine, exactly as
 * torch's exporter writes it.
 */
final class Layers {
  final OnnxGraph g;
  final WeightBinder w;
  private final int type;

  Layers(OnnxGraph g, WeightBinder w) {
    this.g = g;
    this.w = w;
    this.type = w.computeType();
  }

  int computeType() {
    return type;
  }

  /** A Linear on 2-D activations: x [n, in] → [n, out]. */
  String linear(String x, String prefix, long in, long out, boolean bias) {
    return g.scoped(prefix, () -> {
      String weight = w.get(prefix + ".weight", out, in);
      List<String> inputs = bias ? List.of(x, weight, w.get(prefix + ".bias", out)) : List.of(x, weight);
      return g.op("Gemm", inputs, Attr.i("transB", 1));
    });
  }

  /** A 2-D convolution, square kernel, same stride on both axes; pads are [top, left, bottom, right]. */
  String conv(String x, String prefix, long in, long out, int kernel, int stride, long... pads) {
    return g.scoped(prefix, () -> g.op("Conv", List.of(x, w.get(prefix + ".weight", out, in, kernel, kernel),
        w.get(prefix + ".bias", out)), Attr.ints("kernel_shape", kernel, kernel), Attr.ints("strides", stride, stride),
        Attr.ints("pads", pads.length == 0 ? new long[] {kernel / 2, kernel / 2, kernel / 2, kernel / 2} : pads)));
  }

  /** torch.nn.GroupNorm on [B, C, H, W]. */
  String groupNorm(String x, String prefix, long channels, int groups, double eps) {
    return g.scoped(prefix, () -> {
      String grouped = g.op("Reshape", List.of(x, g.longs(0, groups, -1)));
      float[] ones = new float[groups];
      java.util.Arrays.fill(ones, 1f);
      String normed = g.op("InstanceNormalization", List.of(grouped, cast(g.floats(ones, groups)),
          cast(g.floats(new float[groups], groups))), Attr.f("epsilon", (float) eps));
      String back = g.op("Reshape", List.of(normed, g.op("Shape", x)));
      long[] c = {channels};
      long[] c11 = {channels, 1, 1};
      String scaled = g.op("Mul", List.of(back, w.getAs(prefix + ".weight", c, c11)));
      return g.op("Add", List.of(scaled, w.getAs(prefix + ".bias", c, c11)));
    });
  }

  /** torch.nn.LayerNorm over the last axis. */
  String layerNorm(String x, String prefix, long channels, double eps) {
    return g.scoped(prefix, () -> g.op("LayerNormalization", List.of(x, w.get(prefix + ".weight", channels),
        w.get(prefix + ".bias", channels)), Attr.i("axis", -1), Attr.f("epsilon", (float) eps)));
  }

  String silu(String x) {
    return g.op("Mul", List.of(x, g.op("Sigmoid", x)));
  }

  /** Exact (erf) GELU, as torch's default; ONNX Runtime fuses the pattern into one kernel. */
  String gelu(String x) {
    String erf = g.op("Erf", List.of(g.op("Div", List.of(x, scalar((float) Math.sqrt(2.0))))));
    String onePlus = g.op("Add", List.of(erf, scalar(1f)));
    return g.op("Mul", List.of(g.op("Mul", List.of(x, onePlus)), scalar(0.5f)));
  }

  /** OpenAI CLIP's x·sigmoid(1.702x). */
  String quickGelu(String x) {
    return g.op("Mul", List.of(x, g.op("Sigmoid", g.op("Mul", List.of(x, scalar(1.702f))))));
  }

  String add(String a, String b) {
    return g.op("Add", List.of(a, b));
  }

  String mul(String a, String b) {
    return g.op("Mul", List.of(a, b));
  }

  String scalar(float v) {
    return g.scalar(v, type);
  }

  /** A float32 constant cast to the compute type when that is float16. */
  String cast(String floatConst) {
    return type == OnnxGraph.FLOAT ? floatConst : g.op("Cast", floatConst, Attr.i("to", type));
  }

  /** [B, C, H, W] → [B·H·W, C], the token layout of attention blocks. */
  String toTokens(String x, long channels) {
    String nhwc = g.op("Transpose", x, Attr.ints("perm", 0, 2, 3, 1));
    return g.op("Reshape", List.of(nhwc, g.longs(-1, channels)));
  }

  /** The inverse of {@link #toTokens}, to the shape of {@code like} ([B, C, H, W]). */
  String fromTokens(String tokens, String like) {
    String nhwcShape = g.op("Gather", List.of(g.op("Shape", like), g.longs(0, 2, 3, 1)));
    String nhwc = g.op("Reshape", List.of(tokens, nhwcShape));
    return g.op("Transpose", nhwc, Attr.ints("perm", 0, 3, 1, 2));
  }

  /** The batch size of a tensor as a 1-element int64 tensor. */
  String batchOf(String x) {
    return g.op("Slice", List.of(g.op("Shape", x), g.longs(0), g.longs(1)));
  }
}
