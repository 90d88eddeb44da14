package org.latentstudio.diffusion;

import java.util.List;

/**
 * Builds a {@link Sampler} from a sampler name, a schedule name and the model's scheduler config, the way
 * {@code src/python/lsmodels/samplers.py} maps the same names onto diffusers schedulers.
 */
public final class Samplers {
  /** Sampler names, each mapped to the diffusers class named in its Java class. */
  public static final List<String> SAMPLER_NAMES = List.of(
      "euler", "euler_ancestral", "heun", "dpmpp_2m", "lms", "ddim", "ddpm", "pndm");
  /** Schedule names. */
  public static final List<String> SCHEDULE_NAMES = List.of(
      "normal", "karras", "exponential", "leading", "trailing", "linspace");
  /** The samplers that step on sigmas and so accept karras and exponential. */
  public static final List<String> SIGMA_SAMPLERS = List.of("euler", "euler_ancestral", "heun", "dpmpp_2m", "lms");

  private Samplers() {}

  /**
   * A sampler for {@code samplerName} x {@code schedule}, configured from {@code cfg}.
   *
   * <ul>
   *   <li>{@code normal}: the config's own timestep_spacing (and its use_karras_sigmas, where the diffusers
   *       class has that key);
   *   <li>{@code leading}, {@code trailing}, {@code linspace}: that timestep_spacing;
   *   <li>{@code karras}, {@code exponential}: that sigma schedule with the config's spacing (sigma samplers
   *       only).
   * </ul>
   *
   * @param eta DDIM's eta (0 is deterministic DDIM); like diffusers' pipelines, the other samplers ignore it
   * @throws IllegalArgumentException for unknown names, a schedule the sampler cannot use, or a config feature
   *     the sampler does not implement; the message names the valid choices
   */
  public static Sampler create(String samplerName, String schedule, SchedulerConfig cfg, float eta) {
    if (!SAMPLER_NAMES.contains(samplerName)) {
      throw new IllegalArgumentException("unknown sampler '" + samplerName + "'; valid samplers: "
          + String.join(", ", SAMPLER_NAMES));
    }
    if (!SCHEDULE_NAMES.contains(schedule)) {
      throw new IllegalArgumentException("unknown schedule '" + schedule + "'; valid schedules: "
          + String.join(", ", SCHEDULE_NAMES));
    }
    boolean sigmaSampler = SIGMA_SAMPLERS.contains(samplerName);
    SigmaSchedule sigmas = SigmaSchedule.NORMAL;
    SchedulerConfig c = cfg;
    switch (schedule) {
      case "leading", "trailing", "linspace" -> c = cfg.with("timestep_spacing", schedule);
      case "karras", "exponential" -> {
        if (!sigmaSampler) {
          throw new IllegalArgumentException("sampler '" + samplerName + "' has no sigma schedule, so it cannot use '"
              + schedule + "'; '" + samplerName + "' accepts: normal, leading, trailing, linspace (karras and "
              + "exponential work with " + String.join(", ", SIGMA_SAMPLERS) + ")");
        }
        sigmas = schedule.equals("karras") ? SigmaSchedule.KARRAS : SigmaSchedule.EXPONENTIAL;
      }
      default -> { }
    }
    // use_karras_sigmas from the config applies where the diffusers class reads it (not Euler ancestral in 0.30.3)
    if (sigmas == SigmaSchedule.NORMAL && c.bool("use_karras_sigmas", false)
        && List.of("euler", "heun", "dpmpp_2m", "lms").contains(samplerName)) {
      sigmas = SigmaSchedule.KARRAS;
    }
    return switch (samplerName) {
      case "euler" -> new EulerDiscreteScheduler(c, sigmas);
      case "euler_ancestral" -> new EulerAncestralDiscreteScheduler(c, sigmas);
      case "heun" -> new HeunDiscreteScheduler(c, sigmas);
      case "dpmpp_2m" -> new DPMSolverMultistepScheduler(
          c.with("algorithm_type", "dpmsolver++").with("solver_order", 2L), sigmas);
      case "lms" -> new LMSDiscreteScheduler(c, sigmas);
      case "ddim" -> new DDIMScheduler(c, eta);
      case "ddpm" -> new DDPMScheduler(c);
      case "pndm" -> new PNDMScheduler(c);
      default -> throw new AssertionError(samplerName);
    };
  }

  /**
   * img2img's first call index, as diffusers' {@code get_timesteps}: {@code init = min(int(steps * strength),
   * steps)}, {@code t_start = max(steps - init, 0)}, begin index {@code t_start * order}. The loop then runs
   * from there to the last call index, after {@link Sampler#addNoise} at this index.
   */
  public static int img2imgBeginIndex(int steps, double strength, int order) {
    if (!(strength >= 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must be between 0 and 1, got " + strength);
    }
    int initTimestep = Math.min((int) (steps * strength), steps);
    int tStart = Math.max(steps - initTimestep, 0);
    return tStart * order;
  }
}
