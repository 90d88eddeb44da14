package org.latentstudio.image;

import org.latentstudio.tensor.Tensor;

/**
 * transformers' {@code CLIPImageProcessor} with its defaults, as diffusers' IP-Adapter path runs it: the shortest
 * side resized to {@code size} with Pillow's bicubic filter (the longer side to {@code int(size · long / short)}),
 * a centre crop of {@code size}², then {@code x / 255} (in double, stored as float) and CLIP's mean and std in
 * float32.
 */
public final class ClipImageProcessor {
  public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private ClipImageProcessor() {}

  /** The 8-bit part: resize and centre crop. */
  public static RgbImage resizeAndCrop(RgbImage img, int size) {
    int w = img.width();
    int h = img.height();
    int shortSide = Math.min(w, h);
    int longSide = Math.max(w, h);
    RgbImage resized = img;
    if (shortSide != size) {
      int newLong = (int) ((double) ((long) size * longSide) / shortSide);
      resized = w <= h ? PilResize.bicubic(img, size, newLong) : PilResize.bicubic(img, newLong, size);
    }
    int top = Math.floorDiv(resized.height() - size, 2);
    int left = Math.floorDiv(resized.width() - size, 2);
    byte[] out = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      System.arraycopy(resized.rgb(), ((top + y) * resized.width() + left) * 3, out, y * size * 3, size * 3);
    }
    return new RgbImage(size, size, out);
  }

  /** The encoder's input, [1, 3, size, size]. */
  public static Tensor pixelValues(RgbImage img, int size) {
    RgbImage crop = resizeAndCrop(img, size);
    int plane = size * size;
    float[] out = new float[3 * plane];
    byte[] rgb = crop.rgb();
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float v = (float) ((rgb[i * 3 + c] & 0xff) * (1.0 / 255));
        out[c * plane + i] = (v - MEAN[c]) / STD[c];
      }
    }
    return Tensor.of(out, 1, 3, size, size);
  }
}
