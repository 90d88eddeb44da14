package org.latentstudio.bench;

import java.util.Arrays;

/** Order statistics of a benchmark's samples. */
final class Stats {
  private Stats() {}

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static double p95(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) (s.length * 0.95))];
  }

  static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(0);
  }
}
