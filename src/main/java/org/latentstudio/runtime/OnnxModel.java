package org.latentstudio.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.tensor.Tensor;

/**
 * One loaded ONNX model: its session and its declared inputs and outputs. Values cross the boundary as
 * float32 {@link Tensor}s and are converted to and from the dtypes the model declares, read from the session's
 * metadata, so fp32 and fp16 exports work alike.
 */
public final class OnnxModel implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final Path file;
  private final Map<String, TensorInfo> inputs;
  private final Map<String, TensorInfo> outputs;
  private final RuntimeStats stats;

  OnnxModel(OrtEnvironment env, OrtSession session, Path file, RuntimeStats stats) throws OrtException {
    this.env = env;
    this.session = session;
    this.file = file;
    this.stats = stats;
    this.inputs = tensorInfos(session.getInputInfo());
    this.outputs = tensorInfos(session.getOutputInfo());
  }

  public Path file() {
    return file;
  }

  public Set<String> inputNames() {
    return inputs.keySet();
  }

  public Set<String> outputNames() {
    return outputs.keySet();
  }

  /** The declared shape of an input; -1 marks a dynamic axis. */
  public long[] inputShape(String name) {
    return inputs.get(name).getShape();
  }

  public long[] outputShape(String name) {
    return outputs.get(name).getShape();
  }

  public OnnxJavaType inputType(String name) {
    return inputs.get(name).type;
  }

  public OnnxJavaType outputType(String name) {
    return outputs.get(name).type;
  }

  /**
   * Checks that the model has the inputs a caller needs, with a message that names the file and what it has.
   *
   * @param role what the model should be, for the message ("a Stable Diffusion UNet")
   */
  public void requireInputs(String role, String... names) throws ModelException {
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      if (!inputs.containsKey(n)) {
        missing.add(n);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelException(file + " has the inputs " + inputs.keySet() + ", but " + role + " needs "
          + List.of(names) + " (missing: " + missing + "). Check that this is the right file and that it was "
          + "exported in the optimum/diffusers ONNX layout.");
    }
  }

  public void requireOutput(String role, String name) throws ModelException {
    if (!outputs.containsKey(name)) {
      throw new ModelException(file + " has the outputs " + outputs.keySet() + ", but " + role + " gives '"
          + name + "'. Check that this is the right file.");
    }
  }

  /** Runs the model and returns the requested outputs as float32 tensors. */
  public Map<String, Tensor> run(ModelInputs in, String... outputNames) throws ModelException {
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (var e : in.values().entrySet()) {
        TensorInfo info = inputs.get(e.getKey());
        if (info == null) {
          throw new ModelException(file + " has no input '" + e.getKey() + "' (it has " + inputs.keySet() + ")");
        }
        tensors.put(e.getKey(), toOnnx(e.getKey(), e.getValue(), info));
      }
      long t0 = System.nanoTime();
      try (OrtSession.Result result = session.run(tensors, Set.of(outputNames))) {
        stats.addOnnxNanos(System.nanoTime() - t0);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
          OnnxValue v = result.get(name).orElseThrow();
          out.put(name, fromOnnx((OnnxTensor) v));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime could not run " + file + ": " + e.getMessage()
          + shapeHint(in), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private String shapeHint(ModelInputs in) {
    StringBuilder sb = new StringBuilder(". Inputs given: ");
    in.values().forEach((k, v) -> sb.append(k).append(v instanceof Tensor t ? java.util.Arrays.toString(t.shape())
        : java.util.Arrays.toString(((ModelInputs.Ints) v).shape())).append(' '));
    sb.append("; the model expects: ");
    inputs.forEach((k, v) -> sb.append(k).append(java.util.Arrays.toString(v.getShape())).append(' ')
        .append(v.type).append(' '));
    return sb.toString().trim();
  }

  private OnnxTensor toOnnx(String name, Object value, TensorInfo info) throws OrtException, ModelException {
    long[] shape;
    int n;
    if (value instanceof Tensor t) {
      shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
      n = t.size();
    } else {
      ModelInputs.Ints ints = (ModelInputs.Ints) value;
      shape = ints.shape();
      n = ints.data().length;
    }
    ByteBuffer buf;
    switch (info.type) {
      case FLOAT -> {
        buf = direct(n * 4);
        FloatBuffer fb = buf.asFloatBuffer();
        if (value instanceof Tensor t) {
          fb.put(t.data());
        } else {
          for (long v : ((ModelInputs.Ints) value).data()) {
            fb.put(v);
          }
        }
      }
      case FLOAT16 -> {
        buf = direct(n * 2);
        ShortBuffer sb = buf.asShortBuffer();
        for (int i = 0; i < n; i++) {
          sb.put(Float.floatToFloat16(floatAt(value, i)));
        }
      }
      case INT64 -> {
        buf = direct(n * 8);
        LongBuffer lb = buf.asLongBuffer();
        for (int i = 0; i < n; i++) {
          // a fractional timestep truncates, as numpy's astype(int64) does in diffusers' ONNX pipeline
          lb.put(value instanceof Tensor t ? (long) t.get(i) : ((ModelInputs.Ints) value).data()[i]);
        }
      }
      case INT32 -> {
        buf = direct(n * 4);
        IntBuffer ib = buf.asIntBuffer();
        for (int i = 0; i < n; i++) {
          ib.put(value instanceof Tensor t ? (int) t.get(i) : Math.toIntExact(((ModelInputs.Ints) value).data()[i]));
        }
      }
      default -> throw new ModelException(file + ": input '" + name + "' has the type " + info.type
          + ", which Latent Studio does not feed (it handles float32, float16, int64 and int32)");
    }
    return OnnxTensor.createTensor(env, buf, shape, info.type);
  }

  private static float floatAt(Object value, int i) {
    return value instanceof Tensor t ? t.get(i) : ((ModelInputs.Ints) value).data()[i];
  }

  private Tensor fromOnnx(OnnxTensor t) throws ModelException {
    TensorInfo info = t.getInfo();
    int[] shape = java.util.Arrays.stream(info.getShape()).mapToInt(Math::toIntExact).toArray();
    float[] data = new float[Math.toIntExact(info.getNumElements())];
    switch (info.type) {
      case FLOAT -> t.getFloatBuffer().get(data);
      case FLOAT16 -> {
        ShortBuffer sb = t.getShortBuffer();
        for (int i = 0; i < data.length; i++) {
          data[i] = Float.float16ToFloat(sb.get(i));
        }
      }
      case DOUBLE -> {
        var db = t.getDoubleBuffer();
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) db.get(i);
        }
      }
      default -> throw new ModelException(file + " returned a " + info.type + " tensor where a float was expected");
    }
    return Tensor.of(data, shape);
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private static Map<String, TensorInfo> tensorInfos(Map<String, NodeInfo> infos) {
    Map<String, TensorInfo> out = new LinkedHashMap<>();
    infos.forEach((k, v) -> {
      if (v.getInfo() instanceof TensorInfo ti) {
        out.put(k, ti);
      }
    });
    return out;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
