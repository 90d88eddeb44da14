package org.latentstudio.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a LoRA's merged weights go in a compiled model that ONNX Runtime optimised and saved
 * ({@link OptimizedModels}), so that a LoRA variant starts from the saved base model instead of being optimised
 * afresh: building SD1.5's UNet again folds the cast of every fp16 weight to fp32 (about 15 s), although a LoRA
 * changes a fraction of them. In the saved model a folded weight is named after its cast's output, so a merged
 * weight goes in under that name, widened to fp32 as the fold widened it; a weight stored in fp32 keeps its own
 * name. A weight that cannot be placed (an optimisation renamed it or changed its shape) places none, and the
 * variant is built from the compiled graph as before.
 */
final class SavedVariant {
  private SavedVariant() {}

  /** A merged weight's name, shape and fp32 data in the saved model. */
  record Placed(String name, long[] dims, ByteBuffer data) {}

  /**
   * The merged weights under their names in {@code saved}, as fp32 data; null when any of them has no weight of
   * the same shape there.
   *
   * @param compiled the compiled graph the saved model was optimised from
   */
  static List<Placed> place(ModelProto compiled, ModelProto saved, List<WeightOverrides.Merged> merged) {
    Map<String, String> castOutputs = new HashMap<>();
    for (NodeProto node : compiled.getGraph().getNodeList()) {
      if (node.getOpType().equals("Cast") && node.getInputCount() == 1) {
        castOutputs.put(node.getInput(0), node.getOutput(0));
      }
    }
    Map<String, TensorProto> savedWeights = new HashMap<>();
    for (TensorProto t : saved.getGraph().getInitializerList()) {
      savedWeights.put(t.getName(), t);
    }
    List<Placed> placed = new ArrayList<>();
    for (WeightOverrides.Merged m : merged) {
      GraphWeights.Weight w = m.weight();
      String name = castOutputs.getOrDefault(w.initializer(), w.initializer());
      TensorProto there = savedWeights.get(name);
      if (there == null || there.getDataType() != TensorProto.DataType.FLOAT_VALUE
          || !Arrays.equals(there.getDimsList().stream().mapToLong(Long::longValue).toArray(), w.dims())) {
        return null;
      }
      ByteBuffer fp32 = widened(m.data(), w.dataType(), w.elements());
      if (fp32 == null) {
        return null;
      }
      placed.add(new Placed(name, w.dims(), fp32));
    }
    return placed;
  }

  /** {@code data} of ONNX type {@code type} as little-endian fp32, exactly as a Cast widens it; null for others. */
  static ByteBuffer widened(ByteBuffer data, int type, long elements) {
    if (type == TensorProto.DataType.FLOAT_VALUE) {
      return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
    boolean half = type == TensorProto.DataType.FLOAT16_VALUE;
    if (!half && type != TensorProto.DataType.BFLOAT16_VALUE) {
      return null;
    }
    ShortBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(elements * 4)).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer f = out.asFloatBuffer();
    // in chunks through arrays, which the JIT converts in bulk (0.3 ns a value here); the fresh memory costs more
    short[] halves = new short[1 << 16];
    float[] floats = new float[halves.length];
    while (in.hasRemaining()) {
      int n = Math.min(halves.length, in.remaining());
      in.get(halves, 0, n);
      for (int i = 0; i < n; i++) {
        floats[i] = half ? Float.float16ToFloat(halves[i]) : Float.intBitsToFloat((halves[i] & 0xffff) << 16);
      }
      f.put(floats, 0, n);
    }
    return out;
  }
}
