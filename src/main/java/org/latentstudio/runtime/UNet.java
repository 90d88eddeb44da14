package org.latentstudio.runtime;

import java.util.HashMap;
import java.util.Map;
import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.tensor.Tensor;

/** The denoising UNet of a checkpoint: predicts the noise (or v) in a latent at a timestep, given the text. */
public final class UNet implements AutoCloseable {
  private static final String ROLE = "a Stable Diffusion UNet";
  private final DimsSessions sessions;
  /** Input and output buffers per session: the sampler calls each many times with the same shapes. */
  private final Map<OnnxModel, OnnxModel.Bound> bounds = new HashMap<>();
  private final String output;
  private final int timestepRank;
  /** The residual inputs of a ControlNet variant (down residuals, then mid), or none. */
  private final String[] residualInputs;
  private final boolean ipAdapter;

  private UNet(DimsSessions sessions) throws ModelException {
    this.sessions = sessions;
    OnnxModel m = sessions.first();
    m.requireInputs(ROLE, "sample", "timestep", "encoder_hidden_states");
    output = m.outputNames().contains("out_sample") ? "out_sample" : m.outputNames().iterator().next();
    timestepRank = m.inputShape("timestep").length;
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
   * them). Its session keeps dynamic dimensions.
   */
  public static UNet open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return new DimsSessions(runtime, source, Map.of()).view(UNet::new);
  }

  /**
   * The UNet for a sampling loop whose first call is {@code sample} and {@code context}: a small model's session
   * gets those dimensions fixed (see {@link DimsSessions}); calls of other dimensions later (a negative prompt
   * that starts late halves the batch) get a session of their own.
   */
  public static UNet openForCalls(OrtRuntime runtime, ModelSource source, int[] sample, int[] context)
      throws ModelException {
    return new DimsSessions(runtime, source, dims(sample, context)).view(UNet::new);
  }

  private static Map<String, Long> dims(int[] sample, int[] context) {
    return callDims(sample[0], sample[2], sample[3], context[1]);
  }

  /**
   * The dimensions of a call on latents of {@code height} × {@code width}, named as the optimum export and the
   * compiled graphs name them (a session made ahead of a run is made for these).
   */
  public static Map<String, Long> callDims(int batch, int height, int width, int sequence) {
    return Map.of("batch", (long) batch, "height", (long) height, "width", (long) width, "sequence", (long) sequence);
  }

  /** The text width the UNet attends to, or -1 if the model leaves it dynamic. */
  public int crossAttentionDim() {
    long[] shape = sessions.first().inputShape("encoder_hidden_states");
    return shape.length == 3 ? (int) shape[2] : -1;
  }

  public int inChannels() {
    long[] shape = sessions.first().inputShape("sample");
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
    OnnxModel model = sessions.forCall(dims(sample.shape(), context.shape()), Map.of("sample", sample.shape(),
        "timestep", t.shape(), "encoder_hidden_states", context.shape()));
    OnnxModel.Bound bound = bounds.computeIfAbsent(model, OnnxModel::bind);
    if (residualInputs.length > 0) {
      if (extras.residualShapes() == null && extras.residuals() == null) {
        throw new ModelException(model.file() + ": this UNet takes ControlNet residuals and none were given");
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
        throw new ModelException(model.file() + ": this UNet takes IP-Adapter image tokens and none were given");
      }
      bound.set(UNetVariant.IP_TOKENS, extras.ipTokens())
          .set(UNetVariant.IP_SCALE, Tensor.of(extras.ipScale(), extras.ipScale().length));
    }
    int[] outShape = sample.shape();
    long[] declaredOut = sessions.first().outputShape(output);
    if (declaredOut.length == 4 && declaredOut[1] > 0) {
      outShape[1] = (int) declaredOut[1]; // an inpainting UNet takes 9 channels and predicts 4
    }
    return bound.set("sample", sample).set("timestep", t).set("encoder_hidden_states", context)
        .run(output, outShape);
  }

  @Override
  public void close() {
    bounds.values().forEach(OnnxModel.Bound::close);
    sessions.close();
  }
}
