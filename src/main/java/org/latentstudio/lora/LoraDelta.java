package org.latentstudio.lora;

import java.io.IOException;
import java.util.stream.IntStream;

/**
 * The change a LoRA layer makes to its weight, {@code scale · up · down}, as kohya's and PEFT's merges compute it:
 * up [out, rank] times down [rank, in·kh·kw], so a 3×3 LoCon's down kernels are summed with the up weights over the
 * rank (PEFT's {@code conv2d(down.permute(1,0,2,3), up)}). The product is taken first and scaled after, so a file
 * with alpha and one with the alpha folded into its up weights give the same bits when the factor is a power of 2.
 */
public final class LoraDelta {
  private LoraDelta() {}

  /**
   * @param transposed true for a weight stored [in, out] (a torch export's MatMul), false for [out, in, ...]
   * @return the delta in the stored layout, unscaled by the strength
   */
  public static float[] compute(LoraLayer layer, boolean transposed) throws IOException {
    int out = Math.toIntExact(layer.outFeatures());
    int rank = layer.rank();
    int in = Math.toIntExact(layer.inFeatures());
    float[] up = layer.up().readFloats();
    float[] down = layer.down().readFloats();
    float[] delta = new float[Math.multiplyExact(out, in)];
    float scale = layer.scale();
    // rows are independent: an SD1.5 LoRA is billions of multiply-adds, worth every core (same sums, same bits)
    IntStream.range(0, out).parallel().forEach(o -> {
      int row = o * in;
      for (int r = 0; r < rank; r++) {
        float a = up[o * rank + r];
        int d = r * in;
        for (int i = 0; i < in; i++) {
          delta[row + i] += a * down[d + i];
        }
      }
      for (int i = row; i < row + in; i++) {
        delta[i] *= scale;
      }
    });
    return transposed ? transpose(delta, out, in) : delta;
  }

  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
