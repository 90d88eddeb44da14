package org.latentstudio.runtime;

import org.latentstudio.tensor.Tensor;

/**
 * The VAE encoder of a checkpoint: pixels in [-1, 1] to the latent distribution. Exports that give the
 * distribution's moments ({@code latent_parameters}: mean then log-variance) let the sampler draw from it with
 * its seeded generator, as diffusers does; older optimum exports give one sample ({@code latent_sample}).
 */
public final class VaeEncoder implements AutoCloseable {
  /** The encoder's result: the mean, and the standard deviation when the model gives it (else null). */
  public record Encoded(Tensor mean, Tensor std) {}

  private final ModelLease lease;
  private final String output;

  private VaeEncoder(ModelLease lease) throws ModelException {
    this.lease = lease;
    OnnxModel m = lease.model();
    m.requireInputs("a VAE encoder", "sample");
    if (m.outputNames().contains("latent_parameters")) {
      output = "latent_parameters";
    } else if (m.outputNames().contains("latent_sample")) {
      output = "latent_sample";
    } else {
      throw new ModelException(m.file() + " has the outputs " + m.outputNames() + ", but a VAE encoder gives "
          + "latent_parameters (mean and log-variance) or latent_sample");
    }
  }

  public static VaeEncoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    if (model.vaeEncoder() == null) {
      throw new ModelException("checkpoint " + model.root() + " has no vae_encoder/model.onnx, so it cannot "
          + "encode images (image-to-image, inpainting). Use a checkpoint exported with its VAE encoder");
    }
    return runtime.open(model.vaeEncoder(), VaeEncoder::new);
  }

  /** [batch, 3, H, W] in [-1, 1] → mean (and std) [batch, 4, H/8, W/8], before the scaling factor. */
  public Encoded encode(Tensor pixels) throws ModelException {
    Tensor out = lease.model().run(new ModelInputs().floats("sample", pixels), output).get(output);
    if (!output.equals("latent_parameters")) {
      return new Encoded(out, null);
    }
    int b = out.dim(0);
    int c = out.dim(1) / 2;
    int hw = out.dim(2) * out.dim(3);
    float[] mean = new float[b * c * hw];
    float[] std = new float[b * c * hw];
    float[] d = out.data();
    for (int n = 0; n < b; n++) {
      int src = n * 2 * c * hw;
      int dst = n * c * hw;
      System.arraycopy(d, src, mean, dst, c * hw);
      for (int i = 0; i < c * hw; i++) {
        // diffusers' DiagonalGaussianDistribution clamps the log-variance to [-30, 20]
        float logvar = Math.max(-30f, Math.min(20f, d[src + c * hw + i]));
        std[dst + i] = (float) Math.exp(0.5 * logvar);
      }
    }
    return new Encoded(Tensor.of(mean, b, c, out.dim(2), out.dim(3)), Tensor.of(std, b, c, out.dim(2), out.dim(3)));
  }

  @Override
  public void close() {
    lease.close();
  }
}
