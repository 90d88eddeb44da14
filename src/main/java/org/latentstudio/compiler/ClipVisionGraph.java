package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ClipVisionConfig;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * transformers' {@code CLIPVisionModelWithProjection} as an ONNX graph: {@code pixel_values} [B, 3, S, S]
 * (preprocessed as {@code CLIPImageProcessor} does) → {@code image_embeds} [B, projection]. Patch embedding (a
 * strided conv without bias), the class token in front, position embeddings, {@code pre_layrnorm} (sic), the
 * encoder layers, {@code post_layernorm} of the class token, {@code visual_projection}.
 */
public final class ClipVisionGraph {
  private ClipVisionGraph() {}

  public static CompiledGraph build(ClipVisionConfig c, WeightSet weights, Path folder, CompileOptions o,
      String origin) throws CheckpointException {
    OnnxGraph g = new OnnxGraph("image_encoder");
    int type = o.computeType();
    WeightBinder w = new WeightBinder(g, weights, folder, type, "CLIP vision encoder");
    Layers l = new Layers(g, w);
    Attention attention = new Attention(l, false);
    long d = c.hiddenSize();
    long p = c.patchSize();
    long n = c.patches() + 1;
    String pixels = g.input("pixel_values", type, "batch", (long) c.channels(), (long) c.imageSize(),
        (long) c.imageSize());
    String batch = l.batchOf(pixels);
    String e = "vision_model.embeddings";
    String patches = g.scoped(e + ".patch_embedding", () -> g.op("Conv", List.of(pixels,
        w.get(e + ".patch_embedding.weight", d, c.channels(), p, p)), Attr.ints("kernel_shape", p, p),
        Attr.ints("strides", p, p)));
    // [B, d, s, s] → [B, s·s, d]
    String tokens = g.op("Transpose", g.op("Reshape", List.of(patches, g.longs(0, d, -1))), Attr.ints("perm", 0, 2, 1));
    String cls = g.op("Expand", List.of(g.op("Reshape", List.of(w.get(e + ".class_embedding", d), g.longs(1, 1, d))),
        g.op("Concat", List.of(batch, g.longs(1, d)), Attr.i("axis", 0))));
    String x = g.op("Concat", List.of(cls, tokens), Attr.i("axis", 1));
    x = l.add(x, w.get(e + ".position_embedding.weight", n, d));
    x = g.op("Reshape", List.of(x, g.longs(-1, d)));
    x = l.layerNorm(x, "vision_model.pre_layrnorm", d, c.layerNormEps());
    for (int i = 0; i < c.layers(); i++) {
      x = ClipEncoderLayer.apply(l, attention, x, "vision_model.encoder.layers." + i, d, c.heads(),
          c.intermediateSize(), c.layerNormEps(), c.quickGelu(), batch, null);
    }
    String perImage = g.op("Reshape", List.of(x, g.op("Concat", List.of(batch, g.longs(n, d)), Attr.i("axis", 0))));
    String pooled = g.op("Reshape", List.of(g.op("Gather", List.of(perImage, g.longScalar(0)), Attr.i("axis", 1)),
        g.longs(-1, d)));
    pooled = l.layerNorm(pooled, "vision_model.post_layernorm", d, c.layerNormEps());
    String embeds = l.linear(pooled, "visual_projection", d, c.projectionDim(), false);
    g.output(embeds, "image_embeds", type, "batch", (long) c.projectionDim());
    w.check(origin, List.of("vision_model.", "visual_projection."),
        Set.of("vision_model.embeddings.position_ids"));
    return new CompiledGraph("CLIP vision encoder", g.model(Compiler.VERSION).toByteArray(), folder);
  }
}
