package org.latentstudio.compiler;

import java.util.List;
import org.latentstudio.compiler.OnnxGraph.Attr;

/**
 * Scaled dot-product attention between token activations in the 2-D layout of {@link Layers}: queries
 * [B·N, dim], keys and values [B·M, dim] → [B·N, dim]. Either spelt out (MatMul, Softmax, MatMul, as diffusers'
 * AttnProcessor computes it) or as ONNX Runtime's fused {@code com.microsoft.MultiHeadAttention}.
 */
final class Attention {
  /** Where the 1/sqrt(d) scale is applied: CLIP scales the queries, diffusers the scores. */
  enum Scale { QUERIES, SCORES }

  private final Layers l;
  private final OnnxGraph g;
  private final boolean fused;

  Attention(Layers layers, boolean fused) {
    this.l = layers;
    this.g = layers.g;
    this.fused = fused;
  }

  /**
   * @param batch   the batch size, a 1-element int64 tensor
   * @param mask    an additive mask broadcast over [B, heads, N, M], or null
   * @param upcast  compute scores and softmax in float32 even in a float16 graph
   */
  String attend(String q, String k, String v, String batch, int heads, long dim, Scale where, String mask,
      boolean upcast) {
    float scale = (float) Math.pow((double) dim / heads, -0.5);
    if (fused && mask == null && !(upcast && l.computeType() == OnnxGraph.FLOAT16)) {
      String seqShape = g.op("Concat", List.of(batch, g.longs(-1, dim)), Attr.i("axis", 0));
      String out = g.msOp("MultiHeadAttention", List.of(g.op("Reshape", List.of(q, seqShape)),
          g.op("Reshape", List.of(k, seqShape)), g.op("Reshape", List.of(v, seqShape))),
          Attr.i("num_heads", heads), Attr.f("scale", scale));
      return g.op("Reshape", List.of(out, g.longs(-1, dim)));
    }
    String headShape = g.op("Concat", List.of(batch, g.longs(-1, heads, dim / heads)), Attr.i("axis", 0));
    String qs = where == Scale.QUERIES ? l.mul(q, l.scalar(scale)) : q;
    String q4 = g.op("Transpose", g.op("Reshape", List.of(qs, headShape)), Attr.ints("perm", 0, 2, 1, 3));
    String kT = g.op("Transpose", g.op("Reshape", List.of(k, headShape)), Attr.ints("perm", 0, 2, 3, 1));
    String v4 = g.op("Transpose", g.op("Reshape", List.of(v, headShape)), Attr.ints("perm", 0, 2, 1, 3));
    boolean up = upcast && l.computeType() == OnnxGraph.FLOAT16;
    if (up) {
      q4 = g.op("Cast", q4, Attr.i("to", OnnxGraph.FLOAT));
      kT = g.op("Cast", kT, Attr.i("to", OnnxGraph.FLOAT));
    }
    String scores = g.op("MatMul", List.of(q4, kT));
    if (where == Scale.SCORES) {
      scores = g.op("Mul", List.of(scores, up ? g.scalar(scale, OnnxGraph.FLOAT) : l.scalar(scale)));
    }
    if (mask != null) {
      scores = g.op("Add", List.of(scores, mask));
    }
    String probs = g.op("Softmax", scores, Attr.i("axis", -1));
    if (up) {
      probs = g.op("Cast", probs, Attr.i("to", OnnxGraph.FLOAT16));
    }
    String out = g.op("Transpose", g.op("MatMul", List.of(probs, v4)), Attr.ints("perm", 0, 2, 1, 3));
    return g.op("Reshape", List.of(out, g.longs(-1, dim)));
  }
}
