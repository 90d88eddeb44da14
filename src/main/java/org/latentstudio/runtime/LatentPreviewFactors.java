package org.latentstudio.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.latentstudio.image.RgbImage;
import org.latentstudio.tensor.Tensor;

/**
 * A cheap latent-to-RGB projection for live previews: {@code rgb = latent · factors + bias} per pixel, with
 * rgb in [-1, 1]. Each model's VAE needs its own factors; SD1.5's are ComfyUI's published ones.
 *
 * @param factors one row of (r, g, b) per latent channel
 */
public record LatentPreviewFactors(float[][] factors, float[] bias) {
  public static final LatentPreviewFactors SD15 = new LatentPreviewFactors(new float[][] {
      {0.3512f, 0.2297f, 0.3227f},
      {0.3250f, 0.4974f, 0.2350f},
      {-0.2829f, 0.1762f, 0.2721f},
      {-0.2120f, -0.2616f, -0.7177f}}, new float[] {0, 0, 0});

  static LatentPreviewFactors read(Path file) throws ModelException {
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      JsonNode f = root.path("factors");
      float[][] factors = new float[f.size()][3];
      for (int c = 0; c < f.size(); c++) {
        for (int k = 0; k < 3; k++) {
          factors[c][k] = (float) f.get(c).get(k).asDouble();
        }
      }
      float[] bias = new float[3];
      for (int k = 0; k < 3 && root.has("bias"); k++) {
        bias[k] = (float) root.get("bias").get(k).asDouble();
      }
      if (factors.length == 0) {
        throw new ModelException(file + " has no \"factors\"; expected {\"factors\": [[r,g,b], ...], \"bias\": [r,g,b]}");
      }
      return new LatentPreviewFactors(factors, bias);
    } catch (IOException | NullPointerException e) {
      throw new ModelException(file + " is malformed; expected {\"factors\": [[r,g,b], ...], \"bias\": [r,g,b]}", e);
    }
  }

  /**
   * One batch entry of a latent [batch, channels, h, w] as a picture at latent resolution:
   * {@code rgb = latent · factors + bias}, then {@code (v + 1) / 2} clamped to [0, 1], as ComfyUI's preview.
   */
  public RgbImage project(Tensor latents, int index) {
    int c = Math.min(latents.dim(1), factors.length);
    int h = latents.dim(2);
    int w = latents.dim(3);
    int plane = h * w;
    float[] x = latents.data();
    int base = index * latents.dim(1) * plane;
    byte[] rgb = new byte[plane * 3];
    for (int i = 0; i < plane; i++) {
      for (int k = 0; k < 3; k++) {
        float v = bias[k];
        for (int ch = 0; ch < c; ch++) {
          v += x[base + ch * plane + i] * factors[ch][k];
        }
        float unit = Math.max(0f, Math.min(1f, (v + 1f) / 2f));
        rgb[i * 3 + k] = (byte) Math.round(unit * 255f);
      }
    }
    return new RgbImage(w, h, rgb);
  }
}
