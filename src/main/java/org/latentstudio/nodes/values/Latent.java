package org.latentstudio.nodes.values;

import java.util.Objects;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.tensor.Tensor;

/**
 * The LATENT type: latents as the UNet sees them (already times the VAE scaling factor), [batch, 4, h, w].
 *
 * @param noiseMask    where sampling may change the latent, [batch or 1, 1, h, w] in [0, 1] (1 = change), or
 *                     null to change everything (inpainting sets it)
 * @param distribution the encoder's distribution when the latent came from a picture, so a sampler can draw
 *                     from it with its own seeded generator as diffusers' img2img does; null otherwise
 */
public record Latent(Tensor samples, Tensor noiseMask, Distribution distribution) implements SizedValue {

  /** The VAE encoder's distribution: {@code latent = (mean + std · ε) · scale}. */
  public record Distribution(Tensor mean, Tensor std, float scale) {}

  public Latent {
    Objects.requireNonNull(samples, "samples");
    if (samples.rank() != 4) {
      throw new IllegalArgumentException("a latent is [batch, channels, height, width], not " + samples);
    }
  }

  public static Latent of(Tensor samples) {
    return new Latent(samples, null, null);
  }

  public int batch() {
    return samples.dim(0);
  }

  public int channels() {
    return samples.dim(1);
  }

  public int height() {
    return samples.dim(2);
  }

  public int width() {
    return samples.dim(3);
  }

  public Latent withNoiseMask(Tensor mask) {
    return new Latent(samples, mask, distribution);
  }

  /** New samples that keep the mask; a changed latent no longer is the encoder's distribution. */
  public Latent withSamples(Tensor newSamples) {
    return new Latent(newSamples, noiseMask, null);
  }

  @Override
  public long byteSize() {
    long n = samples.size();
    n += noiseMask == null ? 0 : noiseMask.size();
    n += distribution == null ? 0 : 2L * distribution.mean().size();
    return 4 * n;
  }
}
