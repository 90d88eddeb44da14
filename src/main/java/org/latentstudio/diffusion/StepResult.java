package org.latentstudio.diffusion;

import java.util.Objects;
import org.latentstudio.tensor.Tensor;

/**
 * What one {@link Sampler#step} returns.
 *
 * @param prevSample         the sample for the next call index (diffusers' {@code prev_sample})
 * @param predOriginalSample the model's current estimate of the clean latent x0 (diffusers'
 *                           {@code pred_original_sample}, or the equivalent where diffusers does not return it);
 *                           for live previews, not for further stepping
 */
public record StepResult(Tensor prevSample, Tensor predOriginalSample) {
  public StepResult {
    Objects.requireNonNull(prevSample, "prevSample");
    Objects.requireNonNull(predOriginalSample, "predOriginalSample");
  }
}
