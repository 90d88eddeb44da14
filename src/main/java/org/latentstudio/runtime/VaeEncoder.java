package org.latentstudio.runtime;

import java.util.Map;
import org.latentstudio.tensor.Tensor;

/**
 * The VAE encoder of a checkpoint: pixels in [-1, 1] to the latent distribution. Exports that give the
 * distribution's moments ({@code latent_parameters}: mean then log-variance) let the sampler draw from it with
 * its seeded generator, as diffusers does; older optimum exports give one sample ({@code latent_sample}).
 */
public final class VaeEncoder implements AutoCloseable {
  /** The encoder's result: the mean, and the standard deviation when the model gives it (else null). */
  public record Encoded(Tensor mean, Tensor std) {}

  private static final String INPUT = "sample";
  private final DimsSessions sessions;
  private final String output;

  private VaeEncoder(DimsSessions sessions) throws ModelException {
    this.sessions = sessions;
    OnnxModel m = sessions.first();
    m.requireInputs("a VAE encoder", INPUT);
    if (m.outputNames().contains("latent_parameters")) {
      output = "latent_parameters";
    } else if (m.outputNames().contains("latent_sample")) {
      output = "latent_sample";
    } else {
      throw new ModelException(m.file() + " has the outputs " + m.outputNames() + ", but a VAE encoder gives "
          + "latent_parameters (mean and log-variance) or latent_sample");
    }
  }

  /**
   * The encoder for pictures of {@code shape} [batch, 3, H, W]: a small model's session gets those dimensions fixed,
   * and with them a thread per core (see {@link DimsSessions}, {@link OrtRuntime#threadsFor}).
   */
  public static VaeEncoder openForCalls(OrtRuntime runtime, SdModel model, int[] shape) throws ModelException {
    return new DimsSessions(runtime, source(model), callDims(shape)).view(VaeEncoder::new);
  }

  /** The encoder on its session of open dimensions, for calls of any size. */
  public static VaeEncoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    return new DimsSessions(runtime, source(model), Map.of()).view(VaeEncoder::new);
  }

  private static ModelSource source(SdModel model) throws ModelException {
    if (model.vaeEncoder() == null) {
      throw new ModelException("checkpoint " + model.root() + " has no vae_encoder/model.onnx, so it cannot "
          + "encode images (image-to-image, inpainting). Use a checkpoint exported with its VAE encoder");
    }
    return model.vaeEncoder();
  }

  /** The dimensions of a call on pictures of {@code shape}, named as the exports and compiled graphs name them. */
  private static Map<String, Long> callDims(int[] shape) {
    return Map.of("batch", (long) shape[0], "height", (long) shape[2], "width", (long) shape[3]);
  }

  /** [batch, 3, H, W] in [-1, 1] → mean (and std) [batch, 4, H/8, W/8], before the scaling factor. */
  public Encoded encode(Tensor pixels) throws ModelException {
    OnnxModel m = sessions.forCall(callDims(pixels.shape()), Map.of(INPUT, pixels.shape()));
    Tensor out = m.run(new ModelInputs().floats(INPUT, pixels), output).get(output);
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
    sessions.close();
  }
}
