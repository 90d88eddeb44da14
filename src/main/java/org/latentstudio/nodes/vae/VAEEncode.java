package org.latentstudio.nodes.vae;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortType;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.nodes.values.VaeModel;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.VaeEncoder;
import org.latentstudio.tensor.Tensor;

/**
 * Turns pictures into latents for image-to-image and inpainting. The latent keeps the encoder's distribution,
 * so the sampler can draw from it with its seeded generator exactly as diffusers' img2img does; other nodes use
 * its mean. Sizes that are not multiples of the VAE's downscale (8 for SD1.5) are centre-cropped to the nearest
 * multiple below, as ComfyUI does.
 */
public final class VAEEncode implements NodeType {
  static final InPort<ImageBatch> PIXELS = InPort.linked("pixels", PortType.IMAGE, ImageBatch.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("VAEEncode", "VAE Encode", "latent", List.of(PIXELS, Ports.VAE_IN), List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    VaeModel vae = in.get(Ports.VAE_IN);
    ImageBatch pixels = cropToMultipleOf(in.get(PIXELS), vae.downscale());
    List<Tensor> means = new ArrayList<>();
    List<Tensor> stds = new ArrayList<>();
    Tensor input = pixels.toEncoderInput();
    int[] one = input.shape();
    one[0] = 1;
    try (VaeEncoder encoder = VaeEncoder.openForCalls(ctx.service(OrtRuntime.class), vae.model(), one)) {
      for (int i = 0; i < pixels.batch(); i++) {
        ctx.progress(i, pixels.batch());
        VaeEncoder.Encoded e = encoder.encode(input.slice(i, i + 1));
        means.add(e.mean());
        stds.add(e.std());
      }
    } catch (ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
    Tensor mean = Tensor.concat(means.toArray(Tensor[]::new));
    float scale = vae.scalingFactor();
    Latent.Distribution dist = stds.contains(null) ? null
        : new Latent.Distribution(mean, Tensor.concat(stds.toArray(Tensor[]::new)), scale);
    return Outputs.of(Ports.LATENT, new Latent(mean.times(scale), null, dist));
  }

  /** Centre-crops to a multiple of the VAE's downscale {@code f} (8 for SD1.5), as ComfyUI does. */
  static ImageBatch cropToMultipleOf(ImageBatch images, int f) throws NodeException {
    int h = images.height() / f * f;
    int w = images.width() / f * f;
    if (h == 0 || w == 0) {
      throw new NodeException("the picture is " + images.width() + "x" + images.height()
          + " pixels; this VAE needs at least " + f + "x" + f);
    }
    if (h == images.height() && w == images.width()) {
      return images;
    }
    int y0 = (images.height() - h) / 2;
    int x0 = (images.width() - w) / 2;
    float[] src = images.pixels().data();
    float[] out = new float[images.batch() * h * w * 3];
    for (int n = 0; n < images.batch(); n++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(src, ((n * images.height() + y0 + y) * images.width() + x0) * 3, out,
            ((n * h + y) * w) * 3, w * 3);
      }
    }
    return new ImageBatch(Tensor.of(out, images.batch(), h, w, 3));
  }
}
