package org.latentstudio.diffusion;

/** Rejections for scheduler_config.json features a sampler does not implement, with messages naming them. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void rejectTrue(SchedulerConfig cfg, String key, String sampler, String why) {
    if (cfg.bool(key, false)) {
      throw new IllegalArgumentException(sampler + ": " + key + "=true is not supported (" + why + ")");
    }
  }

  static String oneOf(SchedulerConfig cfg, String key, String dflt, String sampler, String... allowed) {
    String v = cfg.string(key, dflt);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new IllegalArgumentException(sampler + ": " + key + "='" + v + "' is not supported; supported: "
        + String.join(", ", allowed));
  }
}
