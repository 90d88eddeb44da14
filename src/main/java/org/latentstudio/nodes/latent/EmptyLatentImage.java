package org.latentstudio.nodes.latent;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Tensor;

/** A blank latent of the size of the picture to make: the starting point for text-to-image. */
public final class EmptyLatentImage implements NodeType {
  /** The VAE shrinks each side by 8, so sizes must be multiples of 8. */
  public static final int VAE_FACTOR = 8;
  static final InPort<Long> WIDTH = InPort.integer("width", 512, 8, 8192).step(8);
  static final InPort<Long> HEIGHT = InPort.integer("height", 512, 8, 8192).step(8);
  static final InPort<Long> BATCH = InPort.integer("batch_size", 1, 1, 64);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("EmptyLatentImage", "Empty Latent Image", "latent", List.of(WIDTH, HEIGHT, BATCH),
        List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    int w = in.getInt(WIDTH) / VAE_FACTOR;
    int h = in.getInt(HEIGHT) / VAE_FACTOR;
    return Outputs.of(Ports.LATENT, Latent.of(Tensor.zeros(in.getInt(BATCH), 4, h, w)));
  }
}
