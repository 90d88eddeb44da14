package org.latentstudio.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.latentstudio.diffusion.SchedulerConfig;
import org.latentstudio.io.SchedulerConfigJson;

/**
 * Reads a model's {@code scheduler_config.json} and checks every value the samplers use: types, ranges and the
 * known names, so a broken config is refused with its field named instead of making a silently wrong picture.
 * Keys the samplers do not read are left alone (diffusers configs carry many).
 */
public final class SchedulerConfigs {
  private SchedulerConfigs() {}

  public static SchedulerConfig read(Path file) throws CheckpointException {
    ConfigReader c = ConfigReader.json(file);
    int steps = c.integer("num_train_timesteps", 1000, 1, 100_000);
    String schedule = c.choice("beta_schedule", "linear", Set.of("linear", "scaled_linear", "squaredcos_cap_v2"));
    double start = c.number("beta_start", 0.0001, 1e-9, 0.999);
    double end = c.number("beta_end", 0.02, 1e-9, 0.999);
    if (!schedule.equals("squaredcos_cap_v2") && !c.has("trained_betas") && start >= end) {
      throw new CheckpointException(file + ": 'beta_start' (" + start + ") should be smaller than 'beta_end' (" + end
          + ")");
    }
    c.choice("prediction_type", "epsilon", Set.of("epsilon", "v_prediction", "sample"));
    c.choice("timestep_spacing", "leading", Set.of("leading", "trailing", "linspace"));
    c.integer("steps_offset", 0, 0, steps - 1);
    c.choice("algorithm_type", "dpmsolver++", Set.of("dpmsolver++", "dpmsolver", "sde-dpmsolver++",
        "sde-dpmsolver"));
    c.integer("solver_order", 2, 1, 3);
    for (String flag : new String[] {"clip_sample", "set_alpha_to_one", "skip_prk_steps", "thresholding",
        "use_karras_sigmas", "lower_order_final", "rescale_betas_zero_snr"}) {
      c.bool(flag, false);
    }
    c.number("clip_sample_range", 1.0, 1e-6, 1e6);
    try {
      SchedulerConfig config = SchedulerConfigJson.read(file);
      config.reals("trained_betas").ifPresent(b -> {
        if (b.length != steps) {
          throw new IllegalArgumentException("'trained_betas' has " + b.length + " values but num_train_timesteps is "
              + steps);
        }
        for (double v : b) {
          if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException("'trained_betas' values should lie in (0, 1), found " + v);
          }
        }
      });
      return config;
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage() + "; fix the scheduler config or get the model "
          + "again", e);
    }
  }
}
