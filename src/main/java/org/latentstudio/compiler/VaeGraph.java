package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.VaeConfig;
import org.latentstudio.compiler.OnnxGraph.Attr;
import org.latentstudio.weights.WeightSet;

/**
 * diffusers' {@code AutoencoderKL} halves as ONNX graphs, with the optimum folders' names:
 * <ul>
 *   <li>decoder: {@code latent_sample} [B, latent, h, w] → post_quant_conv → decoder → {@code sample}
 *       [B, 3, h·f, w·f] in about [-1, 1];</li>
 *   <li>encoder: {@code sample} [B, 3, H, W] → encoder → quant_conv → {@code latent_parameters}
 *       [B, 2·latent, H/f, W/f], the mean then the log-variance of the latent distribution.</li>
 * </ul>
 * Scaling by the scaling factor happens outside, as in diffusers' pipelines.
 */
public final class VaeGraph {
  private static final double EPS = 1e-6;

  private final VaeConfig c;
  private final OnnxGraph g;
  private final Layers l;

  private VaeGraph(VaeConfig c, OnnxGraph g, Layers l) {
    this.c = c;
    this.g = g;
    this.l = l;
  }

  public static CompiledGraph decoder(VaeConfig c, WeightSet weights, Path folder, CompileOptions o, String origin)
      throws CheckpointException {
    return build("VAE decoder", c, weights, folder, o, origin, List.of("decoder.", "post_quant_conv."), true);
  }

  public static CompiledGraph encoder(VaeConfig c, WeightSet weights, Path folder, CompileOptions o, String origin)
      throws CheckpointException {
    return build("VAE encoder", c, weights, folder, o, origin, List.of("encoder.", "quant_conv."), false);
  }

  /** @param used the weight name prefixes this half reads: its weights must all be used */
  private static CompiledGraph build(String role, VaeConfig c, WeightSet weights, Path folder, CompileOptions o,
      String origin, List<String> used, boolean decoder) throws CheckpointException {
    OnnxGraph g = new OnnxGraph(decoder ? "vae_decoder" : "vae_encoder");
    WeightBinder w = new WeightBinder(g, weights, folder, o.computeType(), role);
    VaeGraph vae = new VaeGraph(c, g, new Layers(g, w));
    if (decoder) {
      vae.writeDecoder(o.computeType());
    } else {
      vae.writeEncoder(o.computeType());
    }
    w.check(origin, used, Set.of());
    return new CompiledGraph(role, g.model(Compiler.VERSION).toByteArray(), folder);
  }

  private void writeDecoder(int type) {
    long lc = c.latentChannels();
    int[] ch = c.blockOutChannels();
    int n = ch.length;
    String z = g.input("latent_sample", type, "batch", lc, "latent_height", "latent_width");
    String h = c.postQuantConv() ? l.conv(z, "post_quant_conv", lc, lc, 1, 1, 0, 0, 0, 0) : z;
    h = l.conv(h, "decoder.conv_in", lc, ch[n - 1], 3, 1);
    h = mid(h, "decoder.mid_block", ch[n - 1]);
    long prev = ch[n - 1];
    for (int i = 0; i < n; i++) {
      long out = ch[n - 1 - i];
      String block = "decoder.up_blocks." + i;
      for (int j = 0; j < c.layersPerBlock() + 1; j++) {
        h = resnet(h, block + ".resnets." + j, j == 0 ? prev : out, out);
      }
      if (i < n - 1) {
        h = g.op("Resize", List.of(h, "", g.floats(new float[] {1, 1, 2, 2}, 4)), Attr.s("mode", "nearest"),
            Attr.s("coordinate_transformation_mode", "asymmetric"), Attr.s("nearest_mode", "floor"));
        h = l.conv(h, block + ".upsamplers.0.conv", out, out, 3, 1);
      }
      prev = out;
    }
    h = l.silu(l.groupNorm(h, "decoder.conv_norm_out", ch[0], c.normGroups(), EPS));
    h = l.conv(h, "decoder.conv_out", ch[0], c.outChannels(), 3, 1);
    g.output(h, "sample", type, "batch", (long) c.outChannels(), "height", "width");
  }

  private void writeEncoder(int type) {
    int[] ch = c.blockOutChannels();
    int n = ch.length;
    long lc = c.latentChannels();
    String x = g.input("sample", type, "batch", (long) c.inChannels(), "height", "width");
    String h = l.conv(x, "encoder.conv_in", c.inChannels(), ch[0], 3, 1);
    long prev = ch[0];
    for (int i = 0; i < n; i++) {
      long out = ch[i];
      String block = "encoder.down_blocks." + i;
      for (int j = 0; j < c.layersPerBlock(); j++) {
        h = resnet(h, block + ".resnets." + j, j == 0 ? prev : out, out);
      }
      if (i < n - 1) {
        // diffusers pads right and bottom by one, then a stride-2 conv with no padding
        h = l.conv(h, block + ".downsamplers.0.conv", out, out, 3, 2, 0, 0, 1, 1);
      }
      prev = out;
    }
    h = mid(h, "encoder.mid_block", ch[n - 1]);
    h = l.silu(l.groupNorm(h, "encoder.conv_norm_out", ch[n - 1], c.normGroups(), EPS));
    h = l.conv(h, "encoder.conv_out", ch[n - 1], 2 * lc, 3, 1);
    if (c.quantConv()) {
      h = l.conv(h, "quant_conv", 2 * lc, 2 * lc, 1, 1, 0, 0, 0, 0);
    }
    g.output(h, "latent_parameters", type, "batch", 2 * lc, "latent_height", "latent_width");
  }

  private String resnet(String h, String prefix, long in, long out) {
    return ResnetBlock.apply(l, h, null, prefix, in, out, 0, c.normGroups(), EPS, 1.0);
  }

  /** Resnet, single-head self-attention over all positions, resnet. */
  private String mid(String h, String p, long ch) {
    h = resnet(h, p + ".resnets.0", ch, ch);
    if (c.midBlockAttention()) {
      String a = p + ".attentions.0";
      String tokens = l.toTokens(l.groupNorm(h, a + ".group_norm", ch, c.normGroups(), EPS), ch);
      String q = l.linear(tokens, a + ".to_q", ch, ch, true);
      String k = l.linear(tokens, a + ".to_k", ch, ch, true);
      String v = l.linear(tokens, a + ".to_v", ch, ch, true);
      String o = new Attention(l, false).attend(q, k, v, l.batchOf(h), 1, ch, Attention.Scale.SCORES, null, true);
      h = l.add(l.fromTokens(l.linear(o, a + ".to_out.0", ch, ch, true), h), h);
    }
    return resnet(h, p + ".resnets.1", ch, ch);
  }
}
