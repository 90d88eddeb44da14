package org.latentstudio.nodes.sampling;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;

/**
 * Denoises a latent with a diffusers sampler and classifier-free guidance. With denoise below 1 it is
 * image-to-image with diffusers' strength semantics: {@code int(steps · denoise)} steps run from the
 * picture's latent noised to that level.
 */
public final class KSampler implements NodeType {
  static final InPort<Double> DENOISE = InPort.number("denoise", 1, 0, 1).step(0.01)
      .tooltip("1 starts from noise; lower keeps more of the input latent (image-to-image strength)");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("KSampler", "KSampler", "sampling",
        List.of(Ports.MODEL_IN, SamplerPorts.SEED, SamplerPorts.STEPS, SamplerPorts.CFG, SamplerPorts.SAMPLER,
            SamplerPorts.SCHEDULER, Ports.POSITIVE_IN, Ports.NEGATIVE_IN, SamplerPorts.LATENT, DENOISE,
            SamplerPorts.ETA),
        List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    SamplingLoop.Request request = SamplerPorts.request(in, 0f, 0);
    java.util.List<String> notes = new java.util.ArrayList<>();
    Outputs out = Outputs.of(Ports.LATENT, SamplingLoop.run(request, SamplingLoop.Span.full(in.get(DENOISE)), ctx,
        notes));
    return notes.isEmpty() ? out : out.withDisplay(new org.latentstudio.exec.Display(notes, java.util.List.of(),
        java.util.List.of()));
  }
}
