package org.latentstudio.runtime;

import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.tensor.Tensor;

/**
 * A compiled ControlNet: from the UNet's own inputs and a control image, the residuals (already times the
 * strength) for a residual UNet variant.
 */
public final class ControlNetModel implements AutoCloseable {
  private final ModelLease lease;
  private final OnnxModel.Bound bound;
  private final String[] outputs;

  private ControlNetModel(ModelLease lease) throws ModelException {
    this.lease = lease;
    OnnxModel m = lease.model();
    m.requireInputs("a ControlNet", "sample", "timestep", "encoder_hidden_states", "controlnet_cond",
        "conditioning_scale");
    int downs = 0;
    while (m.outputNames().contains(UNetVariant.downResidual(downs))) {
      downs++;
    }
    outputs = new String[downs + 1];
    for (int i = 0; i < downs; i++) {
      outputs[i] = UNetVariant.downResidual(i);
    }
    outputs[downs] = UNetVariant.MID_RESIDUAL;
    bound = m.bind();
  }

  public static ControlNetModel open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return runtime.open(source, ControlNetModel::new);
  }

  /**
   * @param hint   the control image [batch, 3, H, W] in 0–1, at the latent size × the VAE's downscale
   * @param shapes the residuals' shapes for this sample
   * @return the residuals, down then mid, each times {@code strength}
   */
  public Tensor[] residuals(Tensor sample, float timestep, Tensor context, Tensor hint, float strength,
      int[][] shapes) throws ModelException {
    if (shapes.length != outputs.length) {
      throw new ModelException(lease.model().file() + " gives " + outputs.length + " residuals, the UNet takes "
          + shapes.length);
    }
    return bound.set("sample", sample).set("timestep", Tensor.of(new float[] {timestep}, 1))
        .set("encoder_hidden_states", context).set("controlnet_cond", hint)
        .set("conditioning_scale", Tensor.of(new float[] {strength}, 1)).run(outputs, shapes);
  }

  @Override
  public void close() {
    bound.close();
    lease.close();
  }
}
