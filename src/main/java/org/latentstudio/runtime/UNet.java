package org.latentstudio.runtime;

import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.tensor.Tensor;

/** The denoising UNet of a checkpoint: predicts the noise (or v) in a latent at a timestep, given the text. */
public final class UNet implements AutoCloseable {
  private static final String ROLE = "a Stable Diffusion UNet";
  private final ModelLease lease;
  private final String output;
  private final int timestepRank;
  private final OnnxModel.Bound bound;
  /** The residual inputs of a ControlNet variant (down residuals, then mid), or none. */
  private final String[] residualInputs;
  private final boolean ipAdapter;

  private UNet(ModelLease lease) throws ModelException {
    this.lease = lease;
    OnnxModel m = lease.model();
    m.requireInputs(ROLE, "sample", "timestep", "encoder_hidden_states");
    output = m.outputNames().contains("out_sample") ? "out_sample" : m.outputNames().iterator().next();
    timestepRank = m.inputShape("timestep").length;
    bound = m.bind();
    int downs = 0;
    while (m.inputNames().contains(UNetVariant.downResidual(downs))) {
      downs++;
    }
    residualInputs = new String[downs == 0 ? 0 : downs + 1];
    for (int i = 0; i < downs; i++) {
      residualInputs[i] = UNetVariant.downResidual(i);
    }
    if (downs > 0) {
      residualInputs[downs] = UNetVariant.MID_RESIDUAL;
    }
    ipAdapter = m.inputNames().contains(UNetVariant.IP_TOKENS);
  }

  public static UNet open(OrtRuntime runtime, SdModel model) throws ModelException {
    return open(runtime, model.unet());
  }

  /**
   * The UNet in {@code source}: a model's own, one with LoRAs merged into it, a variant of a compiled checkpoint's
   * UNet (ControlNet residual inputs, IP-Adapter layers), or another graph of the same inputs (benchmarks compare
   * them).
   */
  public static UNet open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return runtime.open(source, UNet::new);
  }

  /** The text width the UNet attends to, or -1 if the model leaves it dynamic. */
  public int crossAttentionDim() {
    long[] shape = lease.model().inputShape("encoder_hidden_states");
    return shape.length == 3 ? (int) shape[2] : -1;
  }

  public int inChannels() {
    long[] shape = lease.model().inputShape("sample");
    return shape.length == 4 ? (int) shape[1] : -1;
  }

  /**
   * @param sample   [batch, 4, h, w]
   * @param timestep the scheduler's timestep (fractional for some schedules; an int64 model truncates it)
   * @param context  [batch, tokens, hidden]
   */
  public Tensor predict(Tensor sample, float timestep, Tensor context) throws ModelException {
    return predict(sample, timestep, context, UNetExtras.NONE);
  }

  /** A call with a variant's extra inputs, each given anew (or zeroed) for this call. */
  public Tensor predict(Tensor sample, float timestep, Tensor context, UNetExtras extras) throws ModelException {
    Tensor t = timestepRank == 0 ? Tensor.of(new float[] {timestep}) : Tensor.of(new float[] {timestep}, 1);
    if (residualInputs.length > 0) {
      if (extras.residualShapes() == null && extras.residuals() == null) {
        throw new ModelException(lease.model().file() + ": this UNet takes ControlNet residuals and none were given");
      }
      for (int i = 0; i < residualInputs.length; i++) {
        if (extras.residuals() == null) {
          bound.zeros(residualInputs[i], extras.residualShapes()[i]);
        } else {
          bound.set(residualInputs[i], extras.residuals()[i]);
        }
      }
    }
    if (ipAdapter) {
      if (extras.ipTokens() == null) {
        throw new ModelException(lease.model().file() + ": this UNet takes IP-Adapter image tokens and none were given");
      }
      bound.set(UNetVariant.IP_TOKENS, extras.ipTokens())
          .set(UNetVariant.IP_SCALE, Tensor.of(extras.ipScale(), extras.ipScale().length));
    }
    // the sampler calls this once or twice per step with the same shapes: buffers are bound once
    int[] outShape = sample.shape();
    long outChannels = lease.model().outputShape(output).length == 4 ? lease.model().outputShape(output)[1] : -1;
    if (outChannels > 0) {
      outShape[1] = (int) outChannels; // an inpainting UNet takes 9 channels and predicts 4
    }
    return bound.set("sample", sample).set("timestep", t).set("encoder_hidden_states", context)
        .run(output, outShape);
  }

  @Override
  public void close() {
    bound.close();
    lease.close();
  }
}
