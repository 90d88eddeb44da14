package org.latentstudio.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.latentstudio.compiler.LoraGraphs;
import org.latentstudio.lora.LoraLayer;
import org.latentstudio.weights.StoredTensor;

/**
 * Runs {@link LoraGraphs} on the CPU, one small session per signature (types, layout, number of LoRAs), built on
 * first use and kept until {@link #release}. Inputs are read where they lie (a LoRA's tensors from its mapped
 * file) and outputs land in direct buffers that the merged session's overrides hand to ONNX Runtime as they are.
 */
final class LoraKernels {
  private final OrtEnvironment env;
  private final Map<String, OrtSession> sessions = new HashMap<>();

  LoraKernels(OrtEnvironment env) {
    this.env = env;
  }

  /** The layer's {@code scale · up · down} as float32, [out, in·kh·kw] or, transposed, [in, out]. */
  ByteBuffer delta(LoraLayer layer, boolean transposed) throws OrtException, java.io.IOException {
    long out = layer.outFeatures();
    long rank = layer.rank();
    long in = layer.inFeatures();
    StoredTensor up = layer.up();
    StoredTensor down = layer.down();
    OrtSession s = session("delta|" + up.dtype() + "|" + down.dtype() + "|" + transposed,
        () -> LoraGraphs.delta(up.dtype().onnxType(), down.dtype().onnxType(), transposed));
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      inputs.put("up", tensor(up.map(), new long[] {out, rank}, up.dtype().onnxType()));
      inputs.put("down", tensor(down.map(), new long[] {rank, in}, down.dtype().onnxType()));
      inputs.put("scale", OnnxTensor.createTensor(env, layer.scale()));
      long[] shape = transposed ? new long[] {in, out} : new long[] {out, in};
      return run(s, inputs, "delta", shape, GraphWeights.FLOAT);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * {@code weight + Σ strengths[k] · deltas[k]} in the weight's type, little-endian, in a direct buffer.
   *
   * @param weight the stored values, {@code dataType} little-endian
   */
  ByteBuffer merge(ByteBuffer weight, int dataType, long elements, List<ByteBuffer> deltas, float[] strengths)
      throws OrtException {
    OrtSession s = session("merge|" + dataType + "|" + deltas.size(), () -> LoraGraphs.merge(dataType, deltas.size()));
    long[] flat = {elements};
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      inputs.put("weight", tensor(weight, flat, dataType));
      for (int k = 0; k < deltas.size(); k++) {
        inputs.put("delta" + k, tensor(deltas.get(k), flat, GraphWeights.FLOAT));
        inputs.put("strength" + k, OnnxTensor.createTensor(env, strengths[k]));
      }
      return run(s, inputs, "merged", flat, dataType);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Runs {@code s} with its one output written straight into a new direct buffer. */
  private ByteBuffer run(OrtSession s, Map<String, OnnxTensor> inputs, String output, long[] shape, int type)
      throws OrtException {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    ByteBuffer result = ByteBuffer.allocateDirect(Math.toIntExact(n * GraphWeights.bytesPer(type)))
        .order(ByteOrder.LITTLE_ENDIAN);
    try (OnnxTensor pinned = tensor(result, shape, type)) {
      s.run(inputs, Map.of(output, pinned)).close();
    }
    return result;
  }

  private OnnxTensor tensor(ByteBuffer bytes, long[] shape, int onnxType) throws OrtException {
    // a direct buffer is read in place (a heap one would be copied first)
    return OnnxTensor.createTensor(env, bytes.duplicate().order(ByteOrder.nativeOrder()), shape,
        GraphWeights.javaType(onnxType));
  }

  private synchronized OrtSession session(String key, Supplier<byte[]> graph) throws OrtException {
    OrtSession s = sessions.get(key);
    if (s == null) {
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        // an SD1.5 LoRA's products are billions of multiply-adds: worth every core
        o.setIntraOpNumThreads(Cores.physical());
        s = env.createSession(graph.get(), o);
      }
      sessions.put(key, s);
    }
    return s;
  }

  /**
   * Closes the sessions, freeing their memory arenas: reusing buffers across a merge's calls made it faster (an
   * SD1.5 LoRA's strength change 3.8–4.5 s without the arena against 2.5 s), but an arena keeps its largest
   * buffers (~50 MB each for SD1.5's biggest weights) until the session closes.
   */
  synchronized void release() {
    for (OrtSession s : new ArrayList<>(sessions.values())) {
      try {
        s.close();
      } catch (OrtException e) {
        // closing frees native memory; a failure leaves nothing for the caller to do
      }
    }
    sessions.clear();
  }
}
