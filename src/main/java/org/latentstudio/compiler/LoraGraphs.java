package org.latentstudio.compiler;

import java.util.List;

/**
 * The two small graphs that merge a LoRA into a weight, run by ONNX Runtime rather than in Java: its matrix
 * product (MLAS, on every core) and its float16/bfloat16 conversions are vector code whichever JIT compiles the
 * rest, so the studio and the command line can start on the quick compiler alone (README, Cold start).
 */
public final class LoraGraphs {
  private LoraGraphs() {}

  /**
   * {@code delta = scale · up · down}, the LoRA layer's change to its weight in float32; up [out, rank] and down
   * [rank, in] in their stored types. {@code transposed} gives it as [in, out], for a weight a torch export
   * stores transposed. The product is taken first and scaled after, so a file with alpha and one with alpha folded
   * into its up weights give the same bits when the factor is a power of 2.
   */
  public static byte[] delta(int upType, int downType, boolean transposed) {
    OnnxGraph g = new OnnxGraph("lora_delta");
    String up = asFloat(g, g.input("up", upType, "out", "rank"), upType);
    String down = asFloat(g, g.input("down", downType, "rank", "in"), downType);
    String scale = g.input("scale", OnnxGraph.FLOAT);
    String delta = g.op("Mul", List.of(g.op("MatMul", List.of(up, down)), scale));
    if (transposed) {
      delta = g.op("Transpose", delta, OnnxGraph.Attr.ints("perm", 1, 0));
      g.output(delta, "delta", OnnxGraph.FLOAT, "in", "out");
    } else {
      g.output(delta, "delta", OnnxGraph.FLOAT, "out", "in");
    }
    return g.model(Compiler.VERSION).toByteArray();
  }

  /**
   * {@code merged = weight + Σ strength_k · delta_k}, summed in float32 in the order given and rounded to the
   * weight's type once, as kohya's and ComfyUI's merges do; all flat [n].
   */
  public static byte[] merge(int weightType, int contributions) {
    OnnxGraph g = new OnnxGraph("lora_merge");
    String acc = asFloat(g, g.input("weight", weightType, "n"), weightType);
    for (int k = 0; k < contributions; k++) {
      String delta = g.input("delta" + k, OnnxGraph.FLOAT, "n");
      String strength = g.input("strength" + k, OnnxGraph.FLOAT);
      acc = g.op("Add", List.of(acc, g.op("Mul", List.of(delta, strength))));
    }
    if (weightType != OnnxGraph.FLOAT) {
      acc = g.op("Cast", acc, OnnxGraph.Attr.i("to", weightType));
    }
    g.output(acc, "merged", weightType, "n");
    return g.model(Compiler.VERSION).toByteArray();
  }

  private static String asFloat(OnnxGraph g, String value, int type) {
    return type == OnnxGraph.FLOAT ? value : g.op("Cast", value, OnnxGraph.Attr.i("to", OnnxGraph.FLOAT));
  }
}
