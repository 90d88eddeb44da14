package org.latentstudio.nodes.sampling;

import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Tensor;

/**
 * The extra input channels of an inpainting UNet (9 channels: the latents, the mask, the masked picture's
 * latents), filled as ComfyUI fills them: with a noise mask (SetLatentNoiseMask) the mask and the input latent;
 * without one (text-to-image) a mask of ones and the latent of a blank grey picture, so inpainting checkpoints
 * also draw whole pictures.
 */
final class InpaintInputs {
  /** ComfyUI's {@code blank_inpaint_image_like} for SD1.x: the scaled latent of a mid-grey picture. */
  private static final float[] GREY = {0.8223f, -0.6876f, 0.6364f, 0.1380f};

  private final Tensor extra;

  private InpaintInputs(Tensor extra) {
    this.extra = extra;
  }

  /** The mask and masked-image channels for {@code latent}, [batch, 1 + channels, h, w]. */
  static InpaintInputs of(Latent latent) {
    int[] s = latent.samples().shape();
    int b = s[0];
    int c = s[1];
    int plane = s[2] * s[3];
    float[] out = new float[b * (1 + c) * plane];
    Tensor mask = latent.noiseMask();
    float[] samples = latent.samples().data();
    for (int n = 0; n < b; n++) {
      int base = n * (1 + c) * plane;
      for (int i = 0; i < plane; i++) {
        out[base + i] = mask == null ? 1f : mask.data()[(mask.dim(0) == 1 ? 0 : n) * plane + i];
      }
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < plane; i++) {
          out[base + (1 + ch) * plane + i] = mask == null ? GREY[ch % GREY.length]
              : samples[(n * c + ch) * plane + i];
        }
      }
    }
    return new InpaintInputs(Tensor.of(out, b, 1 + c, s[2], s[3]));
  }

  /** The UNet's input: each of {@code passes} guidance copies of {@code x} followed by the extra channels. */
  Tensor withInputs(Tensor x, int passes) {
    int b = x.dim(0);
    int c = x.dim(1);
    int e = extra.dim(1);
    int plane = x.dim(2) * x.dim(3);
    float[] out = new float[passes * b * (c + e) * plane];
    for (int p = 0; p < passes; p++) {
      for (int n = 0; n < b; n++) {
        int dst = ((p * b + n) * (c + e)) * plane;
        System.arraycopy(x.data(), n * c * plane, out, dst, c * plane);
        System.arraycopy(extra.data(), n * e * plane, out, dst + c * plane, e * plane);
      }
    }
    return Tensor.of(out, passes * b, c + e, x.dim(2), x.dim(3));
  }
}
