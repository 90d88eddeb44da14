package org.latentstudio.image;

/**
 * Pillow's {@code Image.resize} of 8-bit RGB with the bicubic filter (a = -0.5), bit for bit: per output pixel a
 * kernel stretched by the downscale factor (antialiasing), coefficients normalised and turned into 22-bit
 * fixed point, a horizontal pass then a vertical pass, each rounding and clamping to 8 bits (libImaging/Resample.c).
 * CLIP's image preprocessing is defined by it, so the encoder sees what it saw in training.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private PilResize() {}

  public static RgbImage bicubic(RgbImage in, int width, int height) {
    if (width == in.width() && height == in.height()) {
      return in;
    }
    Coeffs vert = coeffs(in.height(), height);
    int firstRow = vert.bounds[0];
    int lastRow = vert.bounds[2 * (height - 1)] + vert.bounds[2 * (height - 1) + 1];
    byte[] src = in.rgb();
    int srcW = in.width();
    int rows = in.height();
    int rowOffset = 0;
    if (width != in.width()) {
      Coeffs horiz = coeffs(in.width(), width);
      rows = lastRow - firstRow;
      byte[] tmp = new byte[rows * width * 3];
      for (int y = 0; y < rows; y++) {
        int sy = y + firstRow;
        for (int x = 0; x < width; x++) {
          int min = horiz.bounds[2 * x];
          int n = horiz.bounds[2 * x + 1];
          int base = x * horiz.size;
          for (int ch = 0; ch < 3; ch++) {
            int ss = 1 << (PRECISION_BITS - 1);
            for (int k = 0; k < n; k++) {
              ss += (src[(sy * srcW + min + k) * 3 + ch] & 0xff) * horiz.fixed[base + k];
            }
            tmp[(y * width + x) * 3 + ch] = clip8(ss);
          }
        }
      }
      src = tmp;
      srcW = width;
      rowOffset = firstRow;
    }
    if (height == in.height()) {
      return new RgbImage(width, height, src);
    }
    byte[] out = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      int min = vert.bounds[2 * y] - rowOffset;
      int n = vert.bounds[2 * y + 1];
      int base = y * vert.size;
      for (int x = 0; x < width; x++) {
        for (int ch = 0; ch < 3; ch++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int k = 0; k < n; k++) {
            ss += (src[((min + k) * srcW + x) * 3 + ch] & 0xff) * vert.fixed[base + k];
          }
          out[(y * width + x) * 3 + ch] = clip8(ss);
        }
      }
    }
    return new RgbImage(width, height, out);
  }

  private record Coeffs(int size, int[] bounds, int[] fixed) {}

  /** precompute_coeffs and normalize_coeffs_8bpc for the whole input range (box = 0..inSize). */
  private static Coeffs coeffs(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int size = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    int[] fixed = new int[outSize * size];
    double[] k = new double[size];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ww = 0.0;
      double ss = 1.0 / filterScale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      for (int x = 0; x < xmax; x++) {
        double w = filter((x + xmin - center + 0.5) * ss);
        k[x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        fixed[xx * size + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
            : (int) (0.5 + v * (1 << PRECISION_BITS));
      }
      bounds[2 * xx] = xmin;
      bounds[2 * xx + 1] = xmax;
    }
    return new Coeffs(size, bounds, fixed);
  }

  private static double filter(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
