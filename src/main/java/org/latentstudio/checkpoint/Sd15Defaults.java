package org.latentstudio.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.diffusion.SchedulerConfig;

/** What a single-file SD1.x checkpoint does not carry, as diffusers' from_single_file fills it in. */
final class Sd15Defaults {
  private Sd15Defaults() {}

  /** SD1.5's scheduler config (PNDM, scaled_linear 0.00085-0.012, leading, steps_offset 1, epsilon). */
  static SchedulerConfig scheduler(double betaStart, double betaEnd, String prediction) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("_class_name", "PNDMScheduler");
    v.put("beta_start", betaStart);
    v.put("beta_end", betaEnd);
    v.put("beta_schedule", "scaled_linear");
    v.put("num_train_timesteps", 1000L);
    v.put("prediction_type", prediction);
    v.put("set_alpha_to_one", false);
    v.put("skip_prk_steps", true);
    v.put("steps_offset", 1L);
    v.put("timestep_spacing", "leading");
    v.put("clip_sample", false);
    return SchedulerConfig.of(v);
  }

  static SchedulerConfig scheduler() {
    return scheduler(0.00085, 0.012, "epsilon");
  }
}
