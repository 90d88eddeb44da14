package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * An IP-Adapter's image projection (diffusers' {@code ImageProjection}, h94's {@code image_proj}): {@code image_embeds}
 * [B, embedding] → Linear → [B, tokens, cross] → LayerNorm → {@code image_prompt_embeds}.
 */
public final class ImageProjectionGraph {
  private ImageProjectionGraph() {}

  public static CompiledGraph build(WeightSet weights, Path folder, int tokens, int cross, int embedding,
      CompileOptions o, String origin) throws CheckpointException {
    OnnxGraph g = new OnnxGraph("image_projection");
    int type = o.computeType();
    WeightBinder w = new WeightBinder(g, weights, folder, type, "IP-Adapter image projection");
    Layers l = new Layers(g, w);
    String in = g.input("image_embeds", type, "batch", (long) embedding);
    String projected = l.linear(in, "image_proj.proj", embedding, (long) tokens * cross, true);
    String perToken = g.op("Reshape", List.of(projected, g.longs(-1, cross)));
    String normed = l.layerNorm(perToken, "image_proj.norm", cross, 1e-5);
    String shape = g.op("Concat", List.of(l.batchOf(in), g.longs(tokens, cross)), Attr.i("axis", 0));
    g.output(g.op("Reshape", List.of(normed, shape)), "image_prompt_embeds", type, "batch", (long) tokens,
        (long) cross);
    w.check(origin, List.of("image_proj."), Set.of());
    return new CompiledGraph("IP-Adapter image projection", g.model(Compiler.VERSION).toByteArray(), folder);
  }
}
