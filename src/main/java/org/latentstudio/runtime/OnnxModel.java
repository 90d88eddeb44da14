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
  private final String file;
  private final Map<String, TensorInfo> inputs;
  private final Map<String, TensorInfo> outputs;
  private final RuntimeStats stats;
  private final String statsName;
  /** Weights the session uses by reference ({@link #holding}); closed with it. */
  private List<OnnxTensor> held = List.of();

  OnnxModel(OrtEnvironment env, OrtSession session, String file, RuntimeStats stats) throws OrtException {
    this(env, session, file, stats, java.nio.file.Path.of(file).getFileName().toString());
  }

  /** @param statsName the name its run time is counted under ("UNet of model.safetensors") */
  OnnxModel(OrtEnvironment env, OrtSession session, String file, RuntimeStats stats, String statsName)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.file = file;
    this.stats = stats;
    this.statsName = statsName;
    this.inputs = tensorInfos(session.getInputInfo());
    this.outputs = tensorInfos(session.getOutputInfo());
  }

  /** The model's file, as the user knows it (the checkpoint for compiled models), for messages. */
  public String file() {
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

  /** Whether the input's declared shape (-1 for a dynamic axis) admits a value of {@code shape}. */
  public boolean accepts(String name, int[] shape) {
    long[] declared = inputShape(name);
    if (declared.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (declared[i] >= 0 && declared[i] != shape[i]) {
        return false;
      }
    }
    return true;
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
        stats.addOnnxNanos(statsName, System.nanoTime() - t0);
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

  /**
   * A call setup for a loop that runs this model many times with inputs of unchanging shapes (the sampler's
   * UNet calls): input and output buffers are allocated once and ONNX Runtime reads and writes them in place,
   * instead of a fresh native tensor for every value on every call.
   */
  public Bound bind() {
    return new Bound();
  }

  /** See {@link #bind()}. Not thread-safe; close it to free the native tensors. */
  public final class Bound implements AutoCloseable {
    private record Slot(long[] shape, ByteBuffer buffer, OnnxTensor tensor) {}

    /** The tensor each input slot holds now: setting the same tensor again needs no copy. */
    private final Map<String, Tensor> current = new HashMap<>();

    private final Map<String, Slot> inputSlots = new HashMap<>();
    private final Map<String, Slot> outputSlots = new HashMap<>();

    /**
     * Sets an input, reusing its buffer when the shape is the one of the previous call. Passing the very tensor
     * of the previous call (the text context, step after step) copies nothing: tensors are not changed once
     * made.
     */
    public Bound set(String name, Tensor value) throws ModelException {
      if (current.get(name) == value) {
        return this;
      }
      TensorInfo info = inputs.get(name);
      if (info == null) {
        throw new ModelException(file + " has no input '" + name + "' (it has " + inputs.keySet() + ")");
      }
      long[] shape = shapeOf(value);
      Slot slot = inputSlots.get(name);
      if (slot == null || !java.util.Arrays.equals(slot.shape(), shape)) {
        close(slot);
        ByteBuffer buf = direct(count(value) * bytesPer(name, info.type));
        try {
          slot = new Slot(shape, buf, OnnxTensor.createTensor(env, buf, shape, info.type));
        } catch (OrtException e) {
          throw new ModelException("ONNX Runtime could not take input '" + name + "' of " + file + ": "
              + e.getMessage(), e);
        }
        inputSlots.put(name, slot);
      }
      write(value, info.type, slot.buffer());
      current.put(name, value);
      return this;
    }

    /** Stands for "all zeros" in {@link #current}: a zero input stays zero until set again, with no copy. */
    private static final Tensor ZEROS = Tensor.of(new float[1], 1);

    /**
     * Feeds zeros of {@code shape} to an input (a ControlNet residual while no ControlNet is active). Zeroing an
     * input that is already zero of that shape copies nothing.
     */
    public Bound zeros(String name, int... shape) throws ModelException {
      Slot slot = inputSlots.get(name);
      long[] s = longs(shape);
      if (current.get(name) == ZEROS && slot != null && java.util.Arrays.equals(slot.shape(), s)) {
        return this;
      }
      set(name, Tensor.zeros(shape));
      current.put(name, ZEROS);
      return this;
    }

    /**
     * Forgets an input: the next {@link #run} fails rather than feed the value of an earlier step, unless the
     * input is set again (or is one the model does not require).
     */
    public Bound clear(String name) {
      Slot slot = inputSlots.remove(name);
      close(slot);
      current.remove(name);
      return this;
    }

    /** Runs with the inputs set so far; the output, of the given shape, lands in a reused buffer. */
    public Tensor run(String output, int... outputShape) throws ModelException {
      return run(new String[] {output}, new int[][] {outputShape})[0];
    }

    /** Runs with the inputs set so far; each output, of its given shape, lands in a reused buffer. */
    public Tensor[] run(String[] names, int[][] shapes) throws ModelException {
      for (String name : inputs.keySet()) {
        if (!inputSlots.containsKey(name)) {
          throw new ModelException(file + ": input '" + name + "' was not given for this run");
        }
      }
      Map<String, OnnxTensor> out = new HashMap<>();
      try {
        for (int k = 0; k < names.length; k++) {
          TensorInfo info = outputs.get(names[k]);
          long[] shape = longs(shapes[k]);
          Slot slot = outputSlots.get(names[k]);
          if (slot == null || !java.util.Arrays.equals(slot.shape(), shape)) {
            close(slot);
            int bytes = info.type == OnnxJavaType.FLOAT16 ? 2 : 4;
            ByteBuffer buf = direct(count(shapes[k]) * bytes);
            slot = new Slot(shape, buf, OnnxTensor.createTensor(env, buf, shape, info.type));
            outputSlots.put(names[k], slot);
          }
          out.put(names[k], slot.tensor());
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        inputSlots.forEach((k, v) -> in.put(k, v.tensor()));
        long t0 = System.nanoTime();
        session.run(in, out).close();
        stats.addOnnxNanos(statsName, System.nanoTime() - t0);
      } catch (OrtException e) {
        throw new ModelException("ONNX Runtime could not run " + file + ": " + e.getMessage(), e);
      }
      Tensor[] results = new Tensor[names.length];
      for (int k = 0; k < names.length; k++) {
        results[k] = fromBuffer(outputSlots.get(names[k]).buffer(), outputs.get(names[k]).type, shapes[k]);
      }
      return results;
    }

    private void close(Slot slot) {
      if (slot != null) {
        slot.tensor().close();
      }
    }

    @Override
    public void close() {
      inputSlots.values().forEach(this::close);
      outputSlots.values().forEach(this::close);
      current.clear();
      inputSlots.clear();
      outputSlots.clear();
    }
  }

  private static Tensor fromBuffer(ByteBuffer buf, OnnxJavaType type, int[] shape) {
    int n = count(shape);
    float[] data = new float[n];
    if (type == OnnxJavaType.FLOAT16) {
      ShortBuffer sb = buf.asShortBuffer();
      for (int i = 0; i < n; i++) {
        data[i] = Float.float16ToFloat(sb.get(i));
      }
    } else {
      buf.asFloatBuffer().get(0, data);
    }
    return Tensor.of(data, shape);
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
    ByteBuffer buf = direct(count(value) * bytesPer(name, info.type));
    write(value, info.type, buf);
    return OnnxTensor.createTensor(env, buf, shapeOf(value), info.type);
  }

  private static long[] shapeOf(Object value) {
    return value instanceof Tensor t ? longs(t.shape())
        : ((ModelInputs.Ints) value).shape();
  }

  // loops rather than streams here and below: these run for every model call, mostly before the JIT has
  // compiled them, and an interpreted stream pipeline costs tens of microseconds

  private static long[] longs(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }

  private static int count(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static int count(Object value) {
    return value instanceof Tensor t ? t.size() : ((ModelInputs.Ints) value).data().length;
  }

  private int bytesPer(String name, OnnxJavaType type) throws ModelException {
    return switch (type) {
      case FLOAT, INT32 -> 4;
      case FLOAT16 -> 2;
      case INT64 -> 8;
      default -> throw new ModelException(file + ": input '" + name + "' has the type " + type
          + ", which Latent Studio does not feed (it handles float32, float16, int64 and int32)");
    };
  }

  /** Converts {@code value} to the model's dtype, writing from the start of {@code buf}. */
  private static void write(Object value, OnnxJavaType type, ByteBuffer buf) {
    int n = count(value);
    switch (type) {
      case FLOAT -> {
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
        ShortBuffer sb = buf.asShortBuffer();
        for (int i = 0; i < n; i++) {
          sb.put(Float.floatToFloat16(floatAt(value, i)));
        }
      }
      case INT64 -> {
        LongBuffer lb = buf.asLongBuffer();
        for (int i = 0; i < n; i++) {
          // a fractional timestep truncates, as numpy's astype(int64) does in diffusers' ONNX pipeline
          lb.put(value instanceof Tensor t ? (long) t.get(i) : ((ModelInputs.Ints) value).data()[i]);
        }
      }
      case INT32 -> {
        IntBuffer ib = buf.asIntBuffer();
        for (int i = 0; i < n; i++) {
          ib.put(value instanceof Tensor t ? (int) t.get(i) : Math.toIntExact(((ModelInputs.Ints) value).data()[i]));
        }
      }
      default -> throw new IllegalArgumentException("unsupported input type " + type);
    }
  }

  private static float floatAt(Object value, int i) {
    return value instanceof Tensor t ? t.get(i) : ((ModelInputs.Ints) value).data()[i];
  }

  private Tensor fromOnnx(OnnxTensor t) throws ModelException {
    TensorInfo info = t.getInfo();
    long[] dims = info.getShape();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
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

  /**
   * Makes this model own {@code weights}, handed to its session by reference ({@link OrtRuntime}'s LoRA variants
   * of saved models): they are closed after the session.
   */
  OnnxModel holding(List<OnnxTensor> weights) {
    held = List.copyOf(weights);
    return this;
  }

  @Override
  public void close() throws OrtException {
    try {
      session.close();
    } finally {
      if (!held.isEmpty()) {
        held.forEach(OnnxTensor::close);
        held = List.of();
        // the buffers (a GB or two of widened weights) go back to the system only when their objects are
        // collected, and long-lived ones would wait for a rare old-generation collection: ask for it now
        System.gc();
      }
    }
  }
}
