package org.latentstudio.nodes.values;

import org.latentstudio.tensor.Tensor;

/**
 * An IP-Adapter applied to a model (ComfyUI_IPAdapter_plus's IPAdapterAdvanced): the reference picture's image
 * tokens and the scale of each cross-attention layer while the noise level is inside the window.
 *
 * @param cond         the reference's tokens [1, tokens, cross]
 * @param uncond       the projection of a zero embedding, for the negative passes
 * @param layerScales  weight × the weight type's profile, per cross-attention layer in forward order
 */
public record IpAdapterPatch(IpAdapter adapter, Tensor cond, Tensor uncond, float[] layerScales,
    double startPercent, double endPercent) {
  public IpAdapterPatch {
    layerScales = layerScales.clone();
  }

  @Override
  public float[] layerScales() {
    return layerScales.clone();
  }
}
