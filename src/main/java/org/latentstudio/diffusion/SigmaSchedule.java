package org.latentstudio.diffusion;

/**
 * How a sigma-based sampler spaces its noise levels, once the timestep spacing has fixed the range.
 * One enum instead of diffusers' exclusive {@code use_karras_sigmas} / {@code use_exponential_sigmas} flags.
 */
public enum SigmaSchedule {
  /** The training sigmas interpolated at the spaced timesteps. */
  NORMAL,
  /** Karras et al. (2022), rho = 7, between the same sigma_min and sigma_max: {@link Sigmas#karras}. */
  KARRAS,
  /** Evenly spaced in log sigma (k-diffusion's and ComfyUI's "exponential"): {@link Sigmas#exponential}. */
  EXPONENTIAL
}
