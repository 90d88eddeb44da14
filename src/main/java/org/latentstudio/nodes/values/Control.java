package org.latentstudio.nodes.values;

import org.latentstudio.tensor.Tensor;

/**
 * One ControlNet applied to a conditioning (ComfyUI's ControlNetApplyAdvanced): its residuals, times
 * {@code strength}, are added to the UNet's while the noise level is inside the window. A conditioning may carry
 * several; their residuals add up.
 *
 * @param image        the control image [1, 3, H, W] in 0–1, at the size it was given; the sampler fits it to
 *                     the latent
 * @param startPercent where in the schedule it starts (0 = the first, noisiest step), as ComfyUI's start_percent
 * @param endPercent   where it ends (1 = the last step)
 */
public record Control(ControlNet net, Tensor image, double strength, double startPercent, double endPercent) {}
