package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * One diffusers scheduler, driven by call index. See the package documentation for the loop that uses it.
 *
 * <p>A sampler is stateful (multistep history, Heun's half step) and not thread-safe: one instance per run.
 */
public interface Sampler {
  /** Computes the schedule for {@code steps} inference steps and resets all state. */
  void setTimesteps(int steps);

  /**
   * What the model is given at each call index: diffusers' {@code scheduler.timesteps}. Heun and PNDM have more
   * entries than steps; timesteps are fractional for sigma samplers on a {@code linspace}, karras or exponential
   * schedule. A copy.
   */
  float[] timesteps();

  /**
   * The noise level at each call index followed by the final one (0 unless the config says
   * {@code final_sigmas_type: sigma_min}): one more entry than {@link #timesteps()}. Empty for samplers that
   * work on {@code alphas_cumprod} directly (DDIM, DDPM, PNDM). A copy.
   */
  float[] sigmas();

  /** The scale of the initial noise: {@code latents = randn * initNoiseSigma()}. */
  float initNoiseSigma();

  /** The model input for call {@code index} (divides by {@code sqrt(sigma^2 + 1)} for the Euler family). */
  Tensor scaleModelInput(Tensor sample, int index);

  /**
   * Advances from call {@code index} to the next one. Calls must come in order, starting at 0 or at the img2img
   * begin index. {@code noise} is drawn from as diffusers draws from the pipeline's generator; it may be null
   * only for samplers that do not need it (see the package documentation).
   */
  StepResult step(Tensor modelOutput, int index, Tensor sample, NoiseSource noise);

  /**
   * img2img: {@code original} noised to the level of call {@code index} (the begin index), as diffusers'
   * {@code add_noise(original, noise, timesteps[index:index + 1])} does with the begin index set.
   */
  Tensor addNoise(Tensor original, Tensor noise, int index);

  /**
   * diffusers' {@code scheduler.order}: 2 for Heun, 1 for the others (PNDM included). img2img skips
   * {@code t_start * order()} call indices.
   */
  int order();
}
