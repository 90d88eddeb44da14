package org.latentstudio.image;

import java.util.ArrayDeque;

/**
 * Canny edges as kornia's {@code filters.canny} computes them (what ComfyUI's Canny node runs): grey by
 * 0.299 R + 0.587 G + 0.114 B, a 5×5 Gaussian blur (σ = 1, reflected borders), unnormalised Sobel gradients
 * (replicated borders), magnitude √(gx² + gy² + 1e-6), non-maximum suppression along the gradient direction
 * rounded to 45°, then the two thresholds and hysteresis: weak edges (above {@code low}) are kept where they
 * connect, through 8-neighbours, to strong ones (above {@code high}). Thresholds are on that magnitude for a picture
 * in 0–1 (ComfyUI's defaults: 0.4 and 0.8).
 */
public final class Canny {
  private Canny() {}

  /** Edge map of an [h·w] grey picture: 1 on edges, 0 elsewhere. */
  public static float[] edges(float[] grey, int w, int h, double low, double high) {
    float[] blurred = blur(grey, w, h);
    float[] magnitude = new float[w * h];
    int[] direction = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float gx = -at(blurred, w, h, x - 1, y - 1) + at(blurred, w, h, x + 1, y - 1)
            - 2 * at(blurred, w, h, x - 1, y) + 2 * at(blurred, w, h, x + 1, y)
            - at(blurred, w, h, x - 1, y + 1) + at(blurred, w, h, x + 1, y + 1);
        float gy = -at(blurred, w, h, x - 1, y - 1) - 2 * at(blurred, w, h, x, y - 1) - at(blurred, w, h, x + 1, y - 1)
            + at(blurred, w, h, x - 1, y + 1) + 2 * at(blurred, w, h, x, y + 1) + at(blurred, w, h, x + 1, y + 1);
        magnitude[y * w + x] = (float) Math.sqrt(gx * gx + gy * gy + 1e-6f);
        double angle = Math.rint(Math.toDegrees(Math.atan2(gy, gx)) / 45);
        direction[y * w + x] = Math.floorMod((int) angle, 8);
      }
    }
    // neighbour offsets of kornia's NMS kernels 0..7: right, bottom-right, bottom, bottom-left, left, ...
    int[] dx = {1, 1, 0, -1, -1, -1, 0, 1};
    int[] dy = {0, 1, 1, 1, 0, -1, -1, -1};
    byte[] state = new byte[w * h]; // 0 none, 1 weak, 2 strong
    ArrayDeque<Integer> strong = new ArrayDeque<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int d = direction[i];
        int o = (d + 4) % 8;
        float m = magnitude[i];
        boolean max = m - zeroPadded(magnitude, w, h, x + dx[d], y + dy[d]) > 0
            && m - zeroPadded(magnitude, w, h, x + dx[o], y + dy[o]) > 0;
        if (!max || m <= low) {
          continue;
        }
        state[i] = (byte) (m > high ? 2 : 1);
        if (m > high) {
          strong.add(i);
        }
      }
    }
    float[] out = new float[w * h];
    while (!strong.isEmpty()) {
      int i = strong.poll();
      out[i] = 1f;
      int x = i % w;
      int y = i / w;
      for (int k = 0; k < 8; k++) {
        int nx = x + dx[k];
        int ny = y + dy[k];
        if (nx >= 0 && ny >= 0 && nx < w && ny < h && state[ny * w + nx] == 1) {
          state[ny * w + nx] = 2;
          strong.add(ny * w + nx);
        }
      }
    }
    return out;
  }

  /** The grey picture of an RGB batch entry, kornia's rgb_to_grayscale weights. */
  public static float[] grey(float[] hwc, int offset, int pixels) {
    float[] g = new float[pixels];
    for (int i = 0; i < pixels; i++) {
      int p = offset + i * 3;
      g[i] = 0.299f * hwc[p] + 0.587f * hwc[p + 1] + 0.114f * hwc[p + 2];
    }
    return g;
  }

  private static float[] blur(float[] src, int w, int h) {
    double[] k = new double[5];
    double sum = 0;
    for (int i = 0; i < 5; i++) {
      k[i] = Math.exp(-((i - 2) * (i - 2)) / 2.0);
      sum += k[i];
    }
    float[] kf = new float[5];
    for (int i = 0; i < 5; i++) {
      kf[i] = (float) (k[i] / sum);
    }
    float[] tmp = new float[w * h];
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float s = 0;
        for (int i = 0; i < 5; i++) {
          s += kf[i] * src[y * w + reflect(x + i - 2, w)];
        }
        tmp[y * w + x] = s;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float s = 0;
        for (int i = 0; i < 5; i++) {
          s += kf[i] * tmp[reflect(y + i - 2, h) * w + x];
        }
        out[y * w + x] = s;
      }
    }
    return out;
  }

  private static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    while (i < 0 || i >= n) {
      i = i < 0 ? -i : 2 * (n - 1) - i;
    }
    return i;
  }

  private static float at(float[] a, int w, int h, int x, int y) {
    return a[Math.min(Math.max(y, 0), h - 1) * w + Math.min(Math.max(x, 0), w - 1)];
  }

  private static float zeroPadded(float[] a, int w, int h, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0f : a[y * w + x];
  }
}
