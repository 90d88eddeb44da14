package org.latentstudio.nodes.sampling;

import org.latentstudio.diffusion.Samplers;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.PortType;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;

/** The inputs both sampler nodes share. */
final class SamplerPorts {
  private SamplerPorts() {}

  static final InPort<Long> SEED = InPort.integer("seed", 0, 0, Long.MAX_VALUE).seed()
      .tooltip("the same seed, settings and model give the same picture");
  static final InPort<Long> STEPS = InPort.integer("steps", 20, 1, 10_000);
  static final InPort<Double> CFG = InPort.number("cfg", 7.5, 0, 100).step(0.1)
      .tooltip("guidance scale: how strongly the picture follows the prompt; 1 or less skips the negative pass");
  static final InPort<String> SAMPLER = InPort.choice("sampler_name", "euler", Samplers.SAMPLER_NAMES);
  static final InPort<String> SCHEDULER = InPort.choice("scheduler", "normal", Samplers.SCHEDULE_NAMES)
      .tooltip("normal uses the model's own timestep spacing (leading for SD1.5)");
  static final InPort<Double> ETA = InPort.number("eta", 0, 0, 1).step(0.01)
      .tooltip("DDIM's stochasticity, as diffusers' eta: 0 is deterministic");
  static final InPort<Latent> LATENT = InPort.linked("latent_image", PortType.LATENT, Latent.class);

  /** The request both nodes make from their shared inputs, with the advanced node's guidance settings. */
  static SamplingLoop.Request request(Inputs in, float negativeScale, int negativeStartStep) throws NodeException {
    return new SamplingLoop.Request(in.get(Ports.MODEL_IN), in.get(Ports.POSITIVE_IN), in.get(Ports.NEGATIVE_IN),
        in.get(LATENT), in.get(SEED), in.getInt(STEPS), in.get(SAMPLER), in.get(SCHEDULER),
        in.get(ETA).floatValue(), in.get(CFG).floatValue(), negativeScale, negativeStartStep);
  }
}
