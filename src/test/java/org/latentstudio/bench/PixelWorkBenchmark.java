package org.latentstudio.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.latentstudio.image.Canny;
import org.latentstudio.image.PilResize;
import org.latentstudio.image.PngEncoder;
import org.latentstudio.image.RgbImage;

/**
 * Times the pixel work a picture does in Java, not in ONNX Runtime: a 1024² photo scaled to 512² (PIL's bicubic),
 * its Canny edges, and the 512² PNG, six rounds in a fresh JVM. Run it under each JIT configuration the launchers
 * use (README, Cold start) to see what the quick compiler alone costs:
 * {@code java -XX:TieredStopAtLevel=1 -cp "target/test-classes:target/app/lib/*" org.latentstudio.bench.PixelWorkBenchmark}.
 */
public final class PixelWorkBenchmark {
  private PixelWorkBenchmark() {}

  public static void main(String[] args) throws IOException {
    Random random = new Random(1);
    byte[] px = new byte[1024 * 1024 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (((i / 3) % 1024) / 4 + random.nextInt(16)); // a ramp with noise: edges and texture
    }
    RgbImage photo = new RgbImage(1024, 1024, px);
    for (int round = 1; round <= 6; round++) {
      long t0 = System.nanoTime();
      RgbImage small = PilResize.bicubic(photo, 512, 512);
      long t1 = System.nanoTime();
      float[] hwc = new float[512 * 512 * 3];
      for (int i = 0; i < hwc.length; i++) {
        hwc[i] = (small.rgb()[i] & 0xff) / 255f;
      }
      Canny.edges(Canny.grey(hwc, 0, 512 * 512), 512, 512, 0.4, 0.8);
      long t2 = System.nanoTime();
      PngEncoder.write(small, Map.of("workflow", "{}"), new ByteArrayOutputStream());
      long t3 = System.nanoTime();
      System.out.printf(Locale.ROOT, "round %d: resize %.1f ms, canny %.1f ms, png %.1f ms, all %.1f ms%n", round,
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6);
    }
  }
}
