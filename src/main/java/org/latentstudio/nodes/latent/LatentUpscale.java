package org.latentstudio.nodes.latent;

import java.util.List;
import java.util.Locale;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.tensor.Resample;
import org.latentstudio.tensor.Tensor;

/**
 * Resizes a latent to a new picture size, for a second "hires fix" pass. A width or height of 0 keeps the
 * aspect ratio from the other; "center" crop keeps the aspect ratio by cropping first, as ComfyUI does.
 */
public final class LatentUpscale implements NodeType {
  static final InPort<String> METHOD = InPort.choice("upscale_method", "nearest-exact",
      List.of("nearest-exact", "bilinear", "area"));
  static final InPort<Long> WIDTH = InPort.integer("width", 1024, 0, 8192).step(8);
  static final InPort<Long> HEIGHT = InPort.integer("height", 1024, 0, 8192).step(8);
  static final InPort<String> CROP = InPort.choice("crop", "disabled", List.of("disabled", "center"));

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("LatentUpscale", "Upscale Latent", "latent",
        List.of(Ports.SAMPLES_IN, METHOD, WIDTH, HEIGHT, CROP), List.of(Ports.LATENT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Latent latent = in.get(Ports.SAMPLES_IN);
    int w = in.getInt(WIDTH) / EmptyLatentImage.VAE_FACTOR;
    int h = in.getInt(HEIGHT) / EmptyLatentImage.VAE_FACTOR;
    if (w == 0 && h == 0) {
      throw new NodeException("width and height are both 0; set at least one of them");
    }
    if (w == 0) {
      w = Math.max(1, Math.round((float) h * latent.width() / latent.height()));
    } else if (h == 0) {
      h = Math.max(1, Math.round((float) w * latent.height() / latent.width()));
    }
    Resample.Method method = Resample.Method.valueOf(in.get(METHOD).replace('-', '_').toUpperCase(Locale.ROOT));
    Tensor source = in.get(CROP).equals("center") ? centerCrop(latent.samples(), (double) w / h) : latent.samples();
    Tensor mask = latent.noiseMask() == null ? null
        : Resample.resize(latent.noiseMask(), h, w, Resample.Method.BILINEAR);
    return Outputs.of(Ports.LATENT, new Latent(Resample.resize(source, h, w, method), mask, null));
  }

  /** Crops the largest centred region with the target aspect ratio. */
  static Tensor centerCrop(Tensor x, double aspect) {
    int h = x.dim(2);
    int w = x.dim(3);
    int cw = w;
    int ch = h;
    if ((double) w / h > aspect) {
      cw = (int) Math.round(h * aspect);
    } else {
      ch = (int) Math.round(w / aspect);
    }
    int x0 = (w - cw) / 2;
    int y0 = (h - ch) / 2;
    int planes = x.dim(0) * x.dim(1);
    float[] out = new float[planes * ch * cw];
    for (int p = 0; p < planes; p++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(x.data(), p * h * w + (y0 + y) * w + x0, out, (p * ch + y) * cw, cw);
      }
    }
    return Tensor.of(out, x.dim(0), x.dim(1), ch, cw);
  }
}
