package org.latentstudio.compiler;

/**
 * One pre-norm layer of transformers' {@code CLIPEncoder}, shared by the text and the vision tower: LayerNorm,
 * self-attention (queries scaled), residual; LayerNorm, MLP (quick_gelu or gelu), residual.
 */
final class ClipEncoderLayer {
  private ClipEncoderLayer() {}

  /**
   * @param x     tokens [B·N, d]
   * @param p     the layer's module name ("text_model.encoder.layers.3")
   * @param mask  an additive attention mask, or null
   */
  static String apply(Layers l, Attention attention, String x, String p, long d, int heads, long inner, double eps,
      boolean quickGelu, String batch, String mask) {
    String a = l.layerNorm(x, p + ".layer_norm1", d, eps);
    String q = l.linear(a, p + ".self_attn.q_proj", d, d, true);
    String k = l.linear(a, p + ".self_attn.k_proj", d, d, true);
    String v = l.linear(a, p + ".self_attn.v_proj", d, d, true);
    String att = attention.attend(q, k, v, batch, heads, d, Attention.Scale.QUERIES, mask, false);
    x = l.add(x, l.linear(att, p + ".self_attn.out_proj", d, d, true));
    a = l.layerNorm(x, p + ".layer_norm2", d, eps);
    String hidden = l.linear(a, p + ".mlp.fc1", d, inner, true);
    hidden = quickGelu ? l.quickGelu(hidden) : l.gelu(hidden);
    return l.add(x, l.linear(hidden, p + ".mlp.fc2", inner, d, true));
  }
}
