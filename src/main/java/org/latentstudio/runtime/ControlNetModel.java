package org.latentstudio.runtime;

import java.util.HashMap;
import java.util.Map;
import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.tensor.Tensor;

/**
 * A compiled ControlNet: from the UNet's own inputs and a control image, the residuals (already times the
 * strength) for a residual UNet variant. Like the UNet, a small ControlNet runs each call size in a session with
 * those dimensions fixed ({@link DimsSessions}); as which passes a ControlNet joins (both prompts, or the positive
 * one only) decides its batch, those sessions are opened at the first call, and the model's inputs and outputs are
 * checked at open on its session of open dimensions.
 */
public final class ControlNetModel implements AutoCloseable {
  private final OrtRuntime runtime;
  private final ModelSource source;
  private final ModelLease declared;
  private final String[] outputs;
  private final Map<OnnxModel, OnnxModel.Bound> bounds = new HashMap<>();
  private DimsSessions calls;

  private ControlNetModel(OrtRuntime runtime, ModelSource source, ModelLease declared) throws ModelException {
    this.runtime = runtime;
    this.source = source;
    this.declared = declared;
    OnnxModel m = declared.model();
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
  }

  public static ControlNetModel open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return runtime.open(source, lease -> new ControlNetModel(runtime, source, lease));
  }

  /**
   * @param hint   the control image [batch, 3, H, W] in 0–1, at the latent size × the VAE's downscale
   * @param shapes the residuals' shapes for this sample
   * @return the residuals, down then mid, each times {@code strength}
   */
  public Tensor[] residuals(Tensor sample, float timestep, Tensor context, Tensor hint, float strength,
      int[][] shapes) throws ModelException {
    if (shapes.length != outputs.length) {
      throw new ModelException(declared.model().file() + " gives " + outputs.length + " residuals, the UNet takes "
          + shapes.length);
    }
    Tensor t = Tensor.of(new float[] {timestep}, 1);
    Map<String, Long> dims = callDims(sample.shape(), context.shape(), hint.shape());
    if (calls == null) {
      calls = new DimsSessions(runtime, source, dims);
    }
    OnnxModel model = calls.forCall(dims, Map.of("sample", sample.shape(), "timestep", t.shape(),
        "encoder_hidden_states", context.shape(), "controlnet_cond", hint.shape()));
    return bounds.computeIfAbsent(model, OnnxModel::bind).set("sample", sample).set("timestep", t)
        .set("encoder_hidden_states", context).set("controlnet_cond", hint)
        .set("conditioning_scale", Tensor.of(new float[] {strength}, 1)).run(outputs, shapes);
  }

  /** The dimensions of a call, named as the compiled ControlNet names them. */
  private static Map<String, Long> callDims(int[] sample, int[] context, int[] hint) {
    return Map.of("batch", (long) sample[0], "height", (long) sample[2], "width", (long) sample[3],
        "sequence", (long) context[1], "steps", 1L, "image_height", (long) hint[2], "image_width", (long) hint[3]);
  }

  @Override
  public void close() {
    bounds.values().forEach(OnnxModel.Bound::close);
    if (calls != null) {
      calls.close();
    }
    declared.close();
  }
}
