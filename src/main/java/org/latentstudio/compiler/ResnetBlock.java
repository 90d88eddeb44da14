package org.latentstudio.compiler;

import java.util.List;

/**
 * diffusers' {@code ResnetBlock2D}: norm, SiLU, 3×3 conv, the time embedding added per channel (UNet only),
 * norm, SiLU, 3×3 conv, plus the input (through a 1×1 conv when the width changes).
 */
final class ResnetBlock {
  private ResnetBlock() {}

  /**
   * @param tembAct SiLU of the time embedding [N, tembDim] (N = 1 or batch), or null in the VAE
   */
  static String apply(Layers l, String x, String tembAct, String prefix, long in, long out, long tembDim,
      int groups, double eps, double outScale) {
    OnnxGraph g = l.g;
    return g.scoped(prefix, () -> {
      String h = l.conv(l.silu(l.groupNorm(x, prefix + ".norm1", in, groups, eps)), prefix + ".conv1", in, out, 3, 1);
      if (tembAct != null) {
        String t = l.linear(tembAct, prefix + ".time_emb_proj", tembDim, out, true);
        h = l.add(h, g.op("Unsqueeze", List.of(t, g.longs(2, 3))));
      }
      h = l.conv(l.silu(l.groupNorm(h, prefix + ".norm2", out, groups, eps)), prefix + ".conv2", out, out, 3, 1);
      String shortcut = in == out ? x : l.conv(x, prefix + ".conv_shortcut", in, out, 1, 1, 0, 0, 0, 0);
      String sum = l.add(shortcut, h);
      return outScale == 1.0 ? sum : g.op("Div", List.of(sum, l.scalar((float) outScale)));
    });
  }
}
