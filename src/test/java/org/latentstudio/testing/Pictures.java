package org.latentstudio.testing;

import org.latentstudio.image.RgbImage;

/** Comparisons of 8-bit pictures for tests. */
public final class Pictures {
  private Pictures() {}

  /** Peak signal-to-noise ratio in dB over all channels; infinite for identical pictures. */
  public static double psnr(RgbImage a, RgbImage b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException(a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
    }
    double se = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      double d = (a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff);
      se += d * d;
    }
    double mse = se / a.rgb().length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
