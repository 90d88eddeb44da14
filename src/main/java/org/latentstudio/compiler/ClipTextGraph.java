package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ClipTextConfig;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * transformers' {@code CLIPTextModel} as an ONNX graph: {@code input_ids} int32 [B, T] →
 * {@code last_hidden_state} [B, T, hidden]. Token plus position embeddings, pre-norm layers of causal
 * self-attention and an MLP (quick_gelu or gelu), then the final LayerNorm.
 *
 * <p>{@code stopAtLayer} is ComfyUI's CLIPSetLastLayer: -1 uses every layer, -2 stops one layer early ("CLIP
 * skip 2"), and the final LayerNorm is applied to whichever layer's output is taken, as ComfyUI and A1111 do.
 */
public final class ClipTextGraph {
  private ClipTextGraph() {}

  public static CompiledGraph build(ClipTextConfig c, WeightSet weights, Path folder, int stopAtLayer,
      CompileOptions o, String origin) throws CheckpointException {
    if (stopAtLayer > -1 || -stopAtLayer > c.layers()) {
      throw new CheckpointException("stop_at_clip_layer " + stopAtLayer + " is outside -1 .. -" + c.layers()
          + " for this text encoder of " + c.layers() + " layers");
    }
    OnnxGraph g = new OnnxGraph("text_encoder");
    WeightBinder w = new WeightBinder(g, weights, folder, o.computeType(), "text encoder");
    Layers l = new Layers(g, w);
    Attention attention = new Attention(l, false);
    long d = c.hiddenSize();
    String ids = g.input("input_ids", OnnxGraph.INT32, "batch", "sequence");
    String tokens = g.op("Gather", List.of(w.get("text_model.embeddings.token_embedding.weight", c.vocabSize(), d),
        ids));
    String length = g.op("Slice", List.of(g.op("Shape", ids), g.longs(1), g.longs(2)));
    String positions = g.op("Range", List.of(g.longScalar(0), g.op("Squeeze", List.of(length, g.longs(0))),
        g.longScalar(1)));
    String pos = g.op("Gather", List.of(w.get("text_model.embeddings.position_embedding.weight", c.maxPositions(), d),
        positions));
    String x = g.op("Reshape", List.of(l.add(tokens, pos), g.longs(-1, d)));
    String batch = l.batchOf(ids);
    String mask = g.op("Slice", List.of(causalMask(l, c.maxPositions()), g.longs(0, 0),
        g.op("Concat", List.of(length, length), Attr.i("axis", 0))));

    int layers = c.layers() + 1 + stopAtLayer;
    for (int i = 0; i < layers; i++) {
      x = ClipEncoderLayer.apply(l, attention, x, "text_model.encoder.layers." + i, d, c.heads(),
          c.intermediateSize(), c.layerNormEps(), c.quickGelu(), batch, mask);
    }
    x = l.layerNorm(x, "text_model.final_layer_norm", d, c.layerNormEps());
    String shape = g.op("Concat", List.of(batch, length, g.longs(d)), Attr.i("axis", 0));
    g.output(g.op("Reshape", List.of(x, shape)), "last_hidden_state", o.computeType(), "batch", "sequence", d);
    // layers past the stop are in the file but deliberately unused
    w.check(origin, List.of("text_model.embeddings", "text_model.final_layer_norm",
        "text_model.encoder.layers." + (layers - 1) + "."), Set.of("text_model.embeddings.position_ids"));
    return new CompiledGraph("text encoder", g.model(Compiler.VERSION).toByteArray(), folder);
  }

  /** The causal mask, with float32's lowest value above the diagonal as transformers builds it. */
  private static String causalMask(Layers l, int n) {
    float[] m = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        m[i * n + j] = -Float.MAX_VALUE;
      }
    }
    return l.cast(l.g.floats(m, n, n));
  }
}
