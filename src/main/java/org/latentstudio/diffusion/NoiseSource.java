package org.latentstudio.diffusion;

import org.latentstudio.tensor.Tensor;

/**
 * Where samplers and pipelines get their Gaussian noise. {@link TorchGenerator} is the implementation that
 * reproduces {@code torch.randn(shape, generator=torch.Generator("cpu").manual_seed(seed))}; tests wrap it to
 * count draws.
 *
 * <p>Every call consumes generator state exactly as one {@code torch.randn(shape, generator=g)} call would, so
 * the order and the shapes of the calls matter, not only the number of values drawn.
 */
public interface NoiseSource {
  /** A tensor of standard normal values, like {@code torch.randn(shape, generator=g)}. */
  Tensor randn(int... shape);
}
