package org.latentstudio.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.tensor.Tensor;

/**
 * The inputs of one model call, by input name, in float or integer form. {@link OnnxModel} converts each to
 * the dtype the model declares (float32, float16, int64, int32), so callers never care how a model was
 * exported.
 */
public final class ModelInputs {
  /** Integer data with a shape (token ids). */
  public record Ints(long[] data, long[] shape) {}

  private final Map<String, Object> values = new LinkedHashMap<>();

  public ModelInputs floats(String name, Tensor value) {
    values.put(name, value);
    return this;
  }

  public ModelInputs ints(String name, long[] data, long... shape) {
    values.put(name, new Ints(data, shape));
    return this;
  }

  Map<String, Object> values() {
    return values;
  }
}
