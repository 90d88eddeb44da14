package org.latentstudio.nodes.vae;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.nodes.values.VaeModel;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.VaeDecoder;
import org.latentstudio.tensor.Tensor;

/** Turns latents into pictures: {@code decode(latents / scaling_factor)}, then to [0, 1] as diffusers does. */
public final class VAEDecode implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("VAEDecode", "VAE Decode", "latent", List.of(Ports.SAMPLES_IN, Ports.VAE_IN),
        List.of(Ports.IMAGE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Latent latent = in.get(Ports.SAMPLES_IN);
    VaeModel vae = in.get(Ports.VAE_IN);
    List<Tensor> decoded = new ArrayList<>();
    int[] one = latent.samples().shape();
    one[0] = 1;
    try (VaeDecoder decoder = VaeDecoder.openForCalls(ctx.service(OrtRuntime.class), vae.model(), one)) {
      // one picture at a time: a batch of large pictures would need the decoder's memory several times over
      for (int i = 0; i < latent.batch(); i++) {
        ctx.progress(i, latent.batch());
        decoded.add(decoder.decode(latent.samples().slice(i, i + 1).times(1f / vae.scalingFactor())));
      }
      ctx.progress(latent.batch(), latent.batch());
    } catch (ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
    return Outputs.of(Ports.IMAGE, ImageBatch.fromDecoder(Tensor.concat(decoded.toArray(Tensor[]::new))));
  }
}
