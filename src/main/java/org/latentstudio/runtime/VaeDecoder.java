package org.latentstudio.runtime;

import org.latentstudio.tensor.Tensor;

/** The VAE decoder of a checkpoint: latents (already divided by the scaling factor) to pixels in [-1, 1]. */
public final class VaeDecoder implements AutoCloseable {
  private final ModelLease lease;
  private final String input;
  private final String output;

  private VaeDecoder(ModelLease lease) throws ModelException {
    this.lease = lease;
    OnnxModel m = lease.model();
    m.requireInputs("a VAE decoder", "latent_sample");
    input = "latent_sample";
    output = m.outputNames().contains("sample") ? "sample" : m.outputNames().iterator().next();
  }

  public static VaeDecoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    return runtime.open(model.vaeDecoder(), VaeDecoder::new);
  }

  /** [batch, 4, h, w] → [batch, 3, 8h, 8w] */
  public Tensor decode(Tensor latents) throws ModelException {
    return lease.model().run(new ModelInputs().floats(input, latents), output).get(output);
  }

  @Override
  public void close() {
    lease.close();
  }
}
