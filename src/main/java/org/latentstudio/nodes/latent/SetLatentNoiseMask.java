package org.latentstudio.nodes.latent;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.nodes.values.Mask;
import org.latentstudio.tensor.Resample;
import org.latentstudio.tensor.Tensor;

/**
 * Limits sampling to the masked area (inpainting): the sampler keeps the rest of the latent on the original,
 * noised to each step's level, so only the masked region changes.
 */
public final class SetLatentNoiseMask implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("SetLatentNoiseMask", "Set Latent Noise Mask", "latent/inpaint",
        List.of(Ports.SAMPLES_IN, Ports.MASK_IN), List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Latent latent = in.get(Ports.SAMPLES_IN);
    Mask mask = in.get(Ports.MASK_IN);
    Tensor m = mask.values();
    Tensor planes = m.reshape(m.dim(0), 1, m.dim(1), m.dim(2));
    return Outputs.of(Ports.LATENT,
        latent.withNoiseMask(Resample.resize(planes, latent.height(), latent.width(), Resample.Method.BILINEAR)));
  }
}
