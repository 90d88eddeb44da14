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
import org.latentstudio.tensor.Tensor;

/**
 * A black-and-white picture by brightness: white where the grey value (0.299 R + 0.587 G + 0.114 B) is above
 * the threshold. With {@code silhouette} on, white where it differs from the picture's background (the colour of
 * its border pixels) by more than the threshold: the shape on any plain background becomes a white silhouette.
 */
public final class ImageThreshold implements NodeType {
  static final InPort<Double> THRESHOLD = InPort.number("threshold", 0.5, 0, 1).step(0.01);
  static final InPort<Boolean> SILHOUETTE = InPort.bool("silhouette", false)
      .tooltip("compare with the background colour (the border's) instead of black");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ImageThreshold", "Threshold / Silhouette", "image/preprocessors",
        List.of(Ports.IMAGE_IN, THRESHOLD, SILHOUETTE), List.of(Ports.IMAGE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    ImageBatch img = in.get(Ports.IMAGE_IN);
    float t = in.get(THRESHOLD).floatValue();
    boolean silhouette = in.get(SILHOUETTE);
    int w = img.width();
    int h = img.height();
    float[] src = img.pixels().data();
    float[] out = new float[src.length];
    for (int b = 0; b < img.batch(); b++) {
      int base = b * w * h * 3;
      float[] bg = silhouette ? borderColour(src, base, w, h) : new float[3];
      for (int i = 0; i < w * h; i++) {
        int p = base + i * 3;
        float v;
        if (silhouette) {
          float d = 0;
          for (int c = 0; c < 3; c++) {
            d = Math.max(d, Math.abs(src[p + c] - bg[c]));
          }
          v = d > t ? 1f : 0f;
        } else {
          v = 0.299f * src[p] + 0.587f * src[p + 1] + 0.114f * src[p + 2] > t ? 1f : 0f;
        }
        out[p] = v;
        out[p + 1] = v;
        out[p + 2] = v;
      }
    }
    return Outputs.of(Ports.IMAGE, new ImageBatch(Tensor.of(out, img.pixels().shape())));
  }

  /** The median colour of the border pixels: a plain background's colour, even with a shape touching the edge. */
  private static float[] borderColour(float[] src, int base, int w, int h) {
    int n = h == 1 ? w : 2 * w + 2 * Math.max(0, h - 2);
    float[][] values = new float[3][n];
    int k = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
          int p = base + (y * w + x) * 3;
          for (int c = 0; c < 3; c++) {
            values[c][k] = src[p + c];
          }
          k++;
        }
      }
    }
    float[] out = new float[3];
    for (int c = 0; c < 3; c++) {
      float[] v = java.util.Arrays.copyOf(values[c], k);
      java.util.Arrays.sort(v);
      out[c] = v[k / 2];
    }
    return out;
  }
}
