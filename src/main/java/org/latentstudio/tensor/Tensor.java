package org.latentstudio.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order: latents, noise, model outputs. The shape is copied in and
 * out, and every access is by absolute index, so there is no buffer position to rewind.
 *
 * <p>The data array is shared, not copied, by {@link #of} and {@link #data()}: tensors are passed between the
 * sampler and ONNX Runtime thousands of times per image, and copying each time would cost more than the
 * arithmetic. Methods that return a new tensor never modify their inputs.
 */
public final class Tensor {
  private final int[] shape;
  private final float[] data;

  private Tensor(int[] shape, float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Wraps {@code data} (not copied) with the given shape. */
  public static Tensor of(float[] data, int... shape) {
    int[] s = shape.clone();
    long n = numel(s);
    if (n != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(s) + " needs " + n + " values, got " + data.length);
    }
    return new Tensor(s, data);
  }

  public static Tensor zeros(int... shape) {
    int[] s = shape.clone();
    return new Tensor(s, new float[Math.toIntExact(numel(s))]);
  }

  public static Tensor full(float value, int... shape) {
    Tensor t = zeros(shape);
    Arrays.fill(t.data, value);
    return t;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  public int rank() {
    return shape.length;
  }

  public int size() {
    return data.length;
  }

  /** The backing array, shared: writing to it changes this tensor. */
  public float[] data() {
    return data;
  }

  public float get(int index) {
    return data[index];
  }

  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  public Tensor copy() {
    return new Tensor(shape.clone(), data.clone());
  }

  public Tensor reshape(int... newShape) {
    return of(data, newShape);
  }

  /** this + other */
  public Tensor plus(Tensor other) {
    return axpby(1f, other, 1f);
  }

  /** this - other */
  public Tensor minus(Tensor other) {
    return axpby(1f, other, -1f);
  }

  /** this * s */
  public Tensor times(float s) {
    float[] out = new float[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i] * s;
    }
    return new Tensor(shape.clone(), out);
  }

  /** a * this + b * other, element by element. */
  public Tensor axpby(float a, Tensor other, float b) {
    requireSameShape(other);
    float[] out = new float[data.length];
    float[] o = other.data;
    for (int i = 0; i < out.length; i++) {
      out[i] = a * data[i] + b * o[i];
    }
    return new Tensor(shape.clone(), out);
  }

  /** The batch entries {@code [from, to)} along axis 0, copied. */
  public Tensor slice(int from, int to) {
    int per = data.length / shape[0];
    int[] s = shape.clone();
    s[0] = to - from;
    return new Tensor(s, Arrays.copyOfRange(data, from * per, to * per));
  }

  /** Stacks tensors of equal shape along axis 0 (their first axes are joined). */
  public static Tensor concat(Tensor... parts) {
    int[] s = parts[0].shape.clone();
    int total = 0;
    int rows = 0;
    for (Tensor p : parts) {
      if (!Arrays.equals(p.shape, 1, p.shape.length, s, 1, s.length)) {
        throw new IllegalArgumentException("cannot concatenate " + Arrays.toString(p.shape) + " with "
            + Arrays.toString(s));
      }
      total += p.data.length;
      rows += p.shape[0];
    }
    float[] out = new float[total];
    int at = 0;
    for (Tensor p : parts) {
      System.arraycopy(p.data, 0, out, at, p.data.length);
      at += p.data.length;
    }
    s[0] = rows;
    return new Tensor(s, out);
  }

  public float maxAbsDiff(Tensor other) {
    requireSameShape(other);
    float m = 0;
    for (int i = 0; i < data.length; i++) {
      m = Math.max(m, Math.abs(data[i] - other.data[i]));
    }
    return m;
  }

  private void requireSameShape(Tensor other) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException("shapes differ: " + Arrays.toString(shape) + " and "
          + Arrays.toString(other.shape));
    }
  }

  private static long numel(int[] s) {
    long n = 1;
    for (int d : s) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(s));
      }
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
