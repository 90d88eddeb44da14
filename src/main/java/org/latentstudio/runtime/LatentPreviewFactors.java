package org.latentstudio.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

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
}
