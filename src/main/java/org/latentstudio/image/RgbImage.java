package org.latentstudio.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An 8-bit RGB picture, rows top to bottom, pixels interleaved (HWC). What previews and saved files hold.
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
      throw new IllegalArgumentException("RGB buffer of " + rgb.length + " bytes does not fit " + width + "x" + height);
    }
  }

  public int red(int x, int y) {
    return rgb[(y * width + x) * 3] & 0xff;
  }

  public int green(int x, int y) {
    return rgb[(y * width + x) * 3 + 1] & 0xff;
  }

  public int blue(int x, int y) {
    return rgb[(y * width + x) * 3 + 2] & 0xff;
  }

  public long byteSize() {
    return rgb.length;
  }

  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        row[x] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
      }
      img.setRGB(0, y, width, 1, row, 0, width);
    }
    return img;
  }

  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int i = (y * w + x) * 3;
        out[i] = (byte) (p >> 16);
        out[i + 1] = (byte) (p >> 8);
        out[i + 2] = (byte) p;
      }
    }
    return new RgbImage(w, h, out);
  }
}
