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
 * The sampler with every knob: run part of the schedule (to hand over between two samplers or models), skip
 * adding noise to continue a latent that still carries some, and the general guidance form with its own
 * negative scale and a negative prompt that starts late.
 */
public final class KSamplerAdvanced implements NodeType {
  static final InPort<Boolean> ADD_NOISE = InPort.bool("add_noise", true);
  static final InPort<Long> START = InPort.integer("start_at_step", 0, 0, 10_000);
  static final InPort<Long> END = InPort.integer("end_at_step", 10_000, 0, 10_000);
  static final InPort<Boolean> LEFTOVER = InPort.bool("return_with_leftover_noise", false)
      .tooltip("when stopping before the last step, return the still-noisy latent instead of the predicted clean one");
  static final InPort<Double> NEGATIVE_SCALE = InPort.number("negative_scale", 0, 0, 100).step(0.1)
      .tooltip("0: classic guidance (the negative prompt is the unconditional pass). Above 0: separate scales, "
          + "ε = ε_∅ + cfg·(ε_pos − ε_∅) − negative_scale·(ε_neg − ε_∅), with an extra empty-prompt pass");
  static final InPort<Long> NEGATIVE_START = InPort.integer("negative_start_step", 0, 0, 10_000)
      .tooltip("the negative prompt acts from this step on; before it the empty prompt stands in. Late starts "
          + "confine the negative's effect to details");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("KSamplerAdvanced", "KSampler (Advanced)", "sampling",
        List.of(Ports.MODEL_IN, ADD_NOISE, SamplerPorts.SEED, SamplerPorts.STEPS, SamplerPorts.CFG,
            SamplerPorts.SAMPLER, SamplerPorts.SCHEDULER, Ports.POSITIVE_IN, Ports.NEGATIVE_IN, SamplerPorts.LATENT,
            START, END, LEFTOVER, NEGATIVE_SCALE, NEGATIVE_START, SamplerPorts.ETA),
        List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    SamplingLoop.Request request =
        SamplerPorts.request(in, in.get(NEGATIVE_SCALE).floatValue(), in.getInt(NEGATIVE_START));
    SamplingLoop.Span span = new SamplingLoop.Span(1, in.getInt(START), in.getInt(END), in.get(ADD_NOISE),
        in.get(LEFTOVER));
    java.util.List<String> notes = new java.util.ArrayList<>();
    Outputs out = Outputs.of(Ports.LATENT, SamplingLoop.run(request, span, ctx, notes));
    return notes.isEmpty() ? out : out.withDisplay(new org.latentstudio.exec.Display(notes, java.util.List.of(),
        java.util.List.of()));
  }
}
