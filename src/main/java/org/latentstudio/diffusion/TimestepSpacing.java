package org.latentstudio.diffusion;

import java.util.Arrays;
import java.util.Locale;

/**
 * How inference timesteps are picked from the training range: diffusers' {@code timestep_spacing} (Table 2 of
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed", arXiv:2305.08891).
 */
public enum TimestepSpacing {
  /** {@code k * (T // n) + steps_offset}: SD1.5's choice. */
  LEADING("leading"),
  /** {@code round(T - k * T / n) - 1}: always starts at T - 1. */
  TRAILING("trailing"),
  /** {@code linspace(0, T - 1, n)} reversed. */
  LINSPACE("linspace");

  private final String configName;

  TimestepSpacing(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static TimestepSpacing fromConfig(String name) {
    for (TimestepSpacing s : values()) {
      if (s.configName.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown timestep_spacing '" + name + "'; expected one of "
        + Arrays.stream(values()).map(TimestepSpacing::configName).toList());
  }
}
