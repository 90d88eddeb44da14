package org.latentstudio.nodes.preprocess;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.tensor.Resample;
import org.latentstudio.tensor.Tensor;

/**
 * Brings a picture to a given size keeping its proportions: "fit" scales it to fit inside and pads the rest with
 * black (a ControlNet reads black as "nothing here"), "fill" scales it to cover and crops the centre, "stretch"
 * ignores the proportions. Bilinear, or nearest-exact to keep hard edges (silhouettes, canny lines) crisp.
 */
public final class ImageScaleToFit implements NodeType {
  static final InPort<Long> WIDTH = InPort.integer("width", 512, 8, 8192).step(8);
  static final InPort<Long> HEIGHT = InPort.integer("height", 512, 8, 8192).step(8);
  static final InPort<String> MODE = InPort.choice("mode", "fit", List.of("fit", "fill", "stretch"));
  static final InPort<String> METHOD = InPort.choice("upscale_method", "bilinear", List.of("bilinear",
      "nearest-exact"));

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ImageScaleToFit", "Scale Image to Fit", "image/preprocessors",
        List.of(Ports.IMAGE_IN, WIDTH, HEIGHT, MODE, METHOD), List.of(Ports.IMAGE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    ImageBatch img = in.get(Ports.IMAGE_IN);
    int tw = in.getInt(WIDTH);
    int th = in.getInt(HEIGHT);
    Resample.Method method = in.get(METHOD).equals("bilinear") ? Resample.Method.BILINEAR
        : Resample.Method.NEAREST_EXACT;
    Tensor chw = toChw(img);
    int w = img.width();
    int h = img.height();
    Tensor out;
    switch (in.get(MODE)) {
      case "stretch" -> out = Resample.resize(chw, th, tw, method);
      case "fill" -> {
        double s = Math.max((double) tw / w, (double) th / h);
        int sw = Math.max(tw, (int) Math.round(w * s));
        int sh = Math.max(th, (int) Math.round(h * s));
        out = place(Resample.resize(chw, sh, sw, method), tw, th);
      }
      default -> {
        double s = Math.min((double) tw / w, (double) th / h);
        int sw = Math.max(1, Math.min(tw, (int) Math.round(w * s)));
        int sh = Math.max(1, Math.min(th, (int) Math.round(h * s)));
        out = place(Resample.resize(chw, sh, sw, method), tw, th);
      }
    }
    return Outputs.of(Ports.IMAGE, fromChw(out));
  }

  /** Centres {@code x} on a black canvas of tw×th, cropping what sticks out. */
  private static Tensor place(Tensor x, int tw, int th) {
    int b = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    float[] out = new float[b * c * th * tw];
    int oy = (th - h) / 2;
    int ox = (tw - w) / 2;
    for (int p = 0; p < b * c; p++) {
      for (int y = 0; y < th; y++) {
        int sy = y - oy;
        if (sy < 0 || sy >= h) {
          continue;
        }
        for (int xx = 0; xx < tw; xx++) {
          int sx = xx - ox;
          if (sx >= 0 && sx < w) {
            out[(p * th + y) * tw + xx] = x.data()[(p * h + sy) * w + sx];
          }
        }
      }
    }
    return Tensor.of(out, b, c, th, tw);
  }

  static Tensor toChw(ImageBatch img) {
    int b = img.batch();
    int h = img.height();
    int w = img.width();
    float[] src = img.pixels().data();
    float[] out = new float[src.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h * w; i++) {
        for (int c = 0; c < 3; c++) {
          out[(n * 3 + c) * h * w + i] = src[(n * h * w + i) * 3 + c];
        }
      }
    }
    return Tensor.of(out, b, 3, h, w);
  }

  static ImageBatch fromChw(Tensor x) {
    int b = x.dim(0);
    int h = x.dim(2);
    int w = x.dim(3);
    float[] out = new float[b * h * w * 3];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h * w; i++) {
        for (int c = 0; c < 3; c++) {
          out[(n * h * w + i) * 3 + c] = x.data()[(n * 3 + c) * h * w + i];
        }
      }
    }
    return new ImageBatch(Tensor.of(out, b, h, w, 3));
  }
}
