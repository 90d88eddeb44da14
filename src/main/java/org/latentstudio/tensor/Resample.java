package org.latentstudio.tensor;

/**
 * Resizing of [batch, channels, height, width] tensors the way torch's {@code F.interpolate} does it, so
 * latent and mask resizes match ComfyUI's: nearest-exact, bilinear (align_corners=False) and area.
 */
public final class Resample {
  public enum Method { NEAREST_EXACT, BILINEAR, AREA }

  private Resample() {}

  public static Tensor resize(Tensor x, int outH, int outW, Method method) {
    int n = x.dim(0) * x.dim(1);
    int inH = x.dim(2);
    int inW = x.dim(3);
    float[] src = x.data();
    float[] out = new float[n * outH * outW];
    for (int p = 0; p < n; p++) {
      int s = p * inH * inW;
      int d = p * outH * outW;
      switch (method) {
        case NEAREST_EXACT -> nearest(src, s, inH, inW, out, d, outH, outW);
        case BILINEAR -> bilinear(src, s, inH, inW, out, d, outH, outW);
        case AREA -> area(src, s, inH, inW, out, d, outH, outW);
      }
    }
    return Tensor.of(out, x.dim(0), x.dim(1), outH, outW);
  }

  private static void nearest(float[] src, int s, int inH, int inW, float[] out, int d, int outH, int outW) {
    double sy = (double) inH / outH;
    double sx = (double) inW / outW;
    for (int y = 0; y < outH; y++) {
      int iy = Math.min((int) Math.floor((y + 0.5) * sy), inH - 1);
      for (int xx = 0; xx < outW; xx++) {
        int ix = Math.min((int) Math.floor((xx + 0.5) * sx), inW - 1);
        out[d + y * outW + xx] = src[s + iy * inW + ix];
      }
    }
  }

  private static void bilinear(float[] src, int s, int inH, int inW, float[] out, int d, int outH, int outW) {
    float sy = (float) inH / outH;
    float sx = (float) inW / outW;
    for (int y = 0; y < outH; y++) {
      float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, inH - 1);
      int y1 = Math.min(y0 + 1, inH - 1);
      float ly = fy - y0;
      for (int xx = 0; xx < outW; xx++) {
        float fx = Math.max(0f, (xx + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, inW - 1);
        int x1 = Math.min(x0 + 1, inW - 1);
        float lx = fx - x0;
        float top = src[s + y0 * inW + x0] * (1 - lx) + src[s + y0 * inW + x1] * lx;
        float bottom = src[s + y1 * inW + x0] * (1 - lx) + src[s + y1 * inW + x1] * lx;
        out[d + y * outW + xx] = top * (1 - ly) + bottom * ly;
      }
    }
  }

  private static void area(float[] src, int s, int inH, int inW, float[] out, int d, int outH, int outW) {
    for (int y = 0; y < outH; y++) {
      int y0 = (int) Math.floor((double) y * inH / outH);
      int y1 = (int) Math.ceil((double) (y + 1) * inH / outH);
      for (int xx = 0; xx < outW; xx++) {
        int x0 = (int) Math.floor((double) xx * inW / outW);
        int x1 = (int) Math.ceil((double) (xx + 1) * inW / outW);
        double sum = 0;
        for (int iy = y0; iy < y1; iy++) {
          for (int ix = x0; ix < x1; ix++) {
            sum += src[s + iy * inW + ix];
          }
        }
        out[d + y * outW + xx] = (float) (sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
}
