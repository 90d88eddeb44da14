package org.latentstudio.runtime;

import java.util.Map;
import org.latentstudio.tensor.Tensor;

/** The VAE decoder of a checkpoint: latents (already divided by the scaling factor) to pixels in [-1, 1]. */
public final class VaeDecoder implements AutoCloseable {
  private static final String INPUT = "latent_sample";
  private final DimsSessions sessions;
  private final String output;

  private VaeDecoder(DimsSessions sessions) throws ModelException {
    this.sessions = sessions;
    OnnxModel m = sessions.first();
    m.requireInputs("a VAE decoder", INPUT);
    output = m.outputNames().contains("sample") ? "sample" : m.outputNames().iterator().next();
  }

  public static VaeDecoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    return new DimsSessions(runtime, model.vaeDecoder(), Map.of()).view(VaeDecoder::new);
  }

  /**
   * The decoder for latents of {@code shape} [batch, 4, h, w]: a small model's session gets those dimensions
   * fixed (see {@link DimsSessions}).
   */
  public static VaeDecoder openForCalls(OrtRuntime runtime, SdModel model, int[] shape) throws ModelException {
    return new DimsSessions(runtime, model.vaeDecoder(), dims(shape)).view(VaeDecoder::new);
  }

  private static Map<String, Long> dims(int[] shape) {
    return callDims(shape[0], shape[2], shape[3]);
  }

  /** The dimensions of a call on {@code batch} latents of {@code height} × {@code width}, by their names. */
  public static Map<String, Long> callDims(int batch, int height, int width) {
    return Map.of("batch", (long) batch, "latent_height", (long) height, "latent_width", (long) width);
  }

  /** [batch, 4, h, w] → [batch, 3, 8h, 8w] */
  public Tensor decode(Tensor latents) throws ModelException {
    OnnxModel m = sessions.forCall(dims(latents.shape()), Map.of(INPUT, latents.shape()));
    return m.run(new ModelInputs().floats(INPUT, latents), output).get(output);
  }

  @Override
  public void close() {
    sessions.close();
  }
}
