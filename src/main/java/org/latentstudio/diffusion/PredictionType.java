package org.latentstudio.diffusion;

import java.util.Arrays;
import java.util.Locale;

/** What the model predicts: diffusers' {@code prediction_type}. */
public enum PredictionType {
  /** The noise. */
  EPSILON("epsilon"),
  /** The velocity {@code alpha_t * noise - sigma_t * x0} (SD 2.x 768 models). */
  V_PREDICTION("v_prediction"),
  /** The clean sample x0 itself. */
  SAMPLE("sample");

  private final String configName;

  PredictionType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /**
   * x0 from the model output in the variance-preserving form {@code x_t = alpha x0 + sigma eps}, with
   * {@code alpha = sqrt(alpha_bar)} and {@code sigma = sqrt(1 - alpha_bar)} (DDIM, DDPM, DPM-Solver's data
   * prediction): {@code (x - sigma eps) / alpha}, {@code alpha x - sigma v}, or the output itself.
   */
  float[] originalFromVp(float[] modelOutput, float[] sample, float alpha, float sigma) {
    float[] x0 = new float[sample.length];
    switch (this) {
      case EPSILON -> {
        for (int i = 0; i < x0.length; i++) {
          x0[i] = (sample[i] - sigma * modelOutput[i]) / alpha;
        }
      }
      case V_PREDICTION -> {
        for (int i = 0; i < x0.length; i++) {
          x0[i] = alpha * sample[i] - sigma * modelOutput[i];
        }
      }
      case SAMPLE -> System.arraycopy(modelOutput, 0, x0, 0, x0.length);
      default -> throw new AssertionError(this);
    }
    return x0;
  }

  /**
   * x0 from the model output in the variance-exploding form {@code x = x0 + sigma eps} the Euler family steps
   * on: {@code x - sigma eps}, {@code v * (-sigma / sqrt(sigma^2 + 1)) + x / (sigma^2 + 1)}, or the output.
   */
  float[] originalFromVe(float[] modelOutput, float[] sample, float sigma) {
    float[] x0 = new float[sample.length];
    switch (this) {
      case EPSILON -> {
        for (int i = 0; i < x0.length; i++) {
          x0[i] = sample[i] - sigma * modelOutput[i];
        }
      }
      case V_PREDICTION -> {
        float c2 = sigma * sigma + 1f;
        float c1 = -sigma / Numerics.sqrt(c2);
        for (int i = 0; i < x0.length; i++) {
          x0[i] = modelOutput[i] * c1 + sample[i] / c2;
        }
      }
      case SAMPLE -> System.arraycopy(modelOutput, 0, x0, 0, x0.length);
      default -> throw new AssertionError(this);
    }
    return x0;
  }

  /** From a scheduler_config.json value; diffusers' {@code original_sample} is accepted as {@code sample}. */
  public static PredictionType fromConfig(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("original_sample")) {
      return SAMPLE;
    }
    for (PredictionType p : values()) {
      if (p.configName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown prediction_type '" + name + "'; expected one of "
        + Arrays.stream(values()).map(PredictionType::configName).toList());
  }
}
