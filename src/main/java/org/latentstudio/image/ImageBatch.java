package org.latentstudio.image;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.tensor.Tensor;

/**
 * The IMAGE type between nodes: a batch of RGB pictures as floats in [0, 1], laid out [batch, height, width, 3]
 * as ComfyUI does, so image nodes port over directly.
 */
public record ImageBatch(Tensor pixels) implements SizedValue {
  public ImageBatch {
    if (pixels.rank() != 4 || pixels.dim(3) != 3) {
      throw new IllegalArgumentException("an image batch is [batch, height, width, 3], not " + pixels);
    }
  }

  @Override
  public long byteSize() {
    return 4L * pixels.size();
  }

  public int batch() {
    return pixels.dim(0);
  }

  public int height() {
    return pixels.dim(1);
  }

  public int width() {
    return pixels.dim(2);
  }

  /**
   * From a decoder's output, [batch, 3, H, W] in [-1, 1]: {@code (x / 2 + 0.5).clamp(0, 1)} as diffusers'
   * image processor does, in float32 so rounding to 8 bits later matches it.
   */
  public static ImageBatch fromDecoder(Tensor chw) {
    int b = chw.dim(0);
    int h = chw.dim(2);
    int w = chw.dim(3);
    float[] src = chw.data();
    float[] out = new float[b * h * w * 3];
    int plane = h * w;
    for (int n = 0; n < b; n++) {
      for (int c = 0; c < 3; c++) {
        int s = (n * 3 + c) * plane;
        for (int i = 0; i < plane; i++) {
          float v = src[s + i] / 2f + 0.5f;
          out[(n * plane + i) * 3 + c] = v < 0f ? 0f : Math.min(v, 1f);
        }
      }
    }
    return new ImageBatch(Tensor.of(out, b, h, w, 3));
  }

  /** To an encoder's input: [batch, 3, H, W] in [-1, 1]. */
  public Tensor toEncoderInput() {
    int b = batch();
    int h = height();
    int w = width();
    int plane = h * w;
    float[] src = pixels.data();
    float[] out = new float[b * 3 * plane];
    for (int n = 0; n < b; n++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          out[(n * 3 + c) * plane + i] = 2f * src[(n * plane + i) * 3 + c] - 1f;
        }
      }
    }
    return Tensor.of(out, b, 3, h, w);
  }

  /** One picture as 8-bit: ×255 and round half to even, as numpy's round does in diffusers. */
  public RgbImage toRgb(int index) {
    int n = height() * width() * 3;
    float[] src = pixels.data();
    byte[] rgb = new byte[n];
    for (int i = 0; i < n; i++) {
      rgb[i] = (byte) (int) Math.rint(src[index * n + i] * 255f);
    }
    return new RgbImage(width(), height(), rgb);
  }

  public List<RgbImage> toRgbList() {
    List<RgbImage> out = new ArrayList<>(batch());
    for (int i = 0; i < batch(); i++) {
      out.add(toRgb(i));
    }
    return out;
  }

  public static ImageBatch fromRgb(RgbImage img) {
    byte[] src = img.rgb();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = (src[i] & 0xff) / 255f;
    }
    return new ImageBatch(Tensor.of(out, 1, img.height(), img.width(), 3));
  }
}
