package org.latentstudio.runtime;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.lora.LoraTargets;

/**
 * The weight matrices and kernels of an ONNX graph, by the model parameter they hold. A compiled graph names its
 * initializers by diffusers/transformers parameter names already. A torch export (optimum ONNX folders) keeps the
 * names of conv weights but not of Linear weights: those are {@code onnx::MatMul_123}, stored transposed [in, out],
 * and only the node that consumes them knows the module ({@code /down_blocks.0/attentions.0/…/to_q/MatMul}), as
 * onnx-web's LoRA loader recovers them. Module paths under a wrapper ({@code unet.}, {@code /text_encoder/}) are
 * cut back to the model's own names.
 */
final class GraphWeights {
  /**
   * One initializer holding a weight.
   *
   * @param dims       as the graph declares them
   * @param transposed true for [in, out] (a MatMul's right operand), false for torch's [out, in, ...]
   * @param file       the external data file, or null when the bytes are inside the graph
   */
  record Weight(String initializer, String param, long[] dims, int dataType, boolean transposed, Path file,
      long offset, long length) {

    long elements() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }

    /** The shape torch declares: a transposed matrix turned back. */
    long[] torchShape() {
      return transposed ? new long[] {dims[1], dims[0]} : dims.clone();
    }
  }

  private static final Pattern UNET_ROOT = Pattern.compile(
      "(?:^|\\.)((?:down_blocks|mid_block|up_blocks|conv_in|conv_out|conv_norm_out|time_embedding)\\b.*)");
  private static final Pattern TEXT_LAYER = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.(.+)");
  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int FLOAT16 = TensorProto.DataType.FLOAT16_VALUE;
  private static final int BFLOAT16 = TensorProto.DataType.BFLOAT16_VALUE;

  private final Map<String, List<Weight>> byParam;

  private GraphWeights(Map<String, List<Weight>> byParam) {
    this.byParam = byParam;
  }

  /** @param folder where the graph's external data lies */
  static GraphWeights of(ModelProto model, Path folder) {
    GraphProto g = model.getGraph();
    Map<String, NodeProto> consumer = new HashMap<>();
    Map<String, Integer> inputIndex = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      for (int i = 0; i < n.getInputCount(); i++) {
        consumer.putIfAbsent(n.getInput(i), n);
        inputIndex.putIfAbsent(n.getInput(i), i);
      }
    }
    Map<String, List<Weight>> byParam = new LinkedHashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      int type = t.getDataType();
      if (t.getDimsCount() != 2 && t.getDimsCount() != 4 || (type != FLOAT && type != FLOAT16 && type != BFLOAT16)) {
        continue;
      }
      String param = null;
      boolean transposed = false;
      String name = t.getName().replaceFirst("\\[[^]]*]$", ""); // a compiled weight declared a second time
      if (name.endsWith(".weight") && !name.startsWith("onnx::")) {
        param = canonical(name.substring(0, name.length() - ".weight".length()));
      } else {
        NodeProto n = consumer.get(t.getName());
        Integer at = inputIndex.get(t.getName());
        if (n != null && at == 1 && n.getName().lastIndexOf('/') > 0) {
          String module = canonical(n.getName().substring(1, n.getName().lastIndexOf('/')).replace('/', '.'));
          switch (n.getOpType()) {
            case "MatMul" -> {
              param = module;
              transposed = true;
            }
            case "Gemm" -> {
              param = module;
              transposed = !transB(n);
            }
            case "Conv" -> param = module;
            default -> { }
          }
        }
      }
      if (param == null || transposed && t.getDimsCount() != 2) {
        continue;
      }
      long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      Path file = null;
      long offset = 0;
      long length = -1;
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
          switch (e.getKey()) {
            case "location" -> file = folder.resolve(e.getValue()).normalize();
            case "offset" -> offset = Long.parseLong(e.getValue());
            case "length" -> length = Long.parseLong(e.getValue());
            default -> { }
          }
        }
      }
      byParam.computeIfAbsent(param + ".weight", k -> new ArrayList<>())
          .add(new Weight(t.getName(), param + ".weight", dims, type, transposed, file, offset, length));
    }
    return new GraphWeights(byParam);
  }

  private static boolean transB(NodeProto n) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("transB")) {
        return a.getI() != 0;
      }
    }
    return false;
  }

  /**
   * A module path in the model's own names: a UNet path from its first block name on, a text encoder's under
   * transformers' {@code text_model.encoder.layers.N.}, with the MLP one level down as there.
   */
  static String canonical(String module) {
    Matcher u = UNET_ROOT.matcher(module);
    if (u.find()) {
      return u.group(1);
    }
    int tm = module.indexOf("text_model.");
    if (tm >= 0) {
      return module.substring(tm);
    }
    Matcher layer = TEXT_LAYER.matcher(module);
    if (layer.find()) {
      String rest = layer.group(2);
      if (rest.startsWith("fc1") || rest.startsWith("fc2")) {
        rest = "mlp." + rest;
      }
      return "text_model.encoder.layers." + layer.group(1) + "." + rest;
    }
    return module;
  }

  List<Weight> weights(String param) {
    return byParam.getOrDefault(param, List.of());
  }

  /** What a LoRA may change in this graph: each parameter with its torch shape. */
  LoraTargets targets(LoraPart part, String model) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    byParam.forEach((param, ws) -> shapes.put(param, ws.getFirst().torchShape()));
    return new LoraTargets(part, model, shapes);
  }

  /**
   * A weight's stored bytes in its own type, little-endian, in a direct buffer ONNX Runtime reads in place: mapped
   * from its external file, or copied from the graph (which must then be given).
   */
  static ByteBuffer stored(Weight w, ModelProto graph) throws IOException {
    int n = Math.toIntExact(w.elements());
    if (w.file() != null) {
      long length = (long) n * bytesPer(w.dataType());
      try (FileChannel ch = FileChannel.open(w.file(), StandardOpenOption.READ)) {
        if (w.length() >= 0 && w.length() != length || w.offset() + length > ch.size()) {
          throw new IOException(w.file() + " holds " + (w.length() >= 0 ? w.length() : ch.size() - w.offset())
              + " bytes for weight " + w.initializer() + ", whose dims need " + length
              + "; the file may be truncated");
        }
        return ch.map(FileChannel.MapMode.READ_ONLY, w.offset(), length).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    TensorProto t = initializer(graph, w.initializer());
    ByteBuffer out = ByteBuffer.allocateDirect(n * bytesPer(w.dataType())).order(ByteOrder.LITTLE_ENDIAN);
    if (t.getRawData().isEmpty() && w.dataType() == FLOAT && t.getFloatDataCount() == n) {
      for (int i = 0; i < n; i++) {
        out.putFloat(4 * i, t.getFloatData(i));
      }
      return out;
    }
    if (t.getRawData().size() != out.capacity()) {
      throw new IOException("weight " + w.initializer() + " keeps its values in a form Latent Studio does not read "
          + "(" + (t.getRawData().isEmpty() ? "int32_data" : t.getRawData().size() + " bytes for " + n + " values")
          + "); re-export the model");
    }
    t.getRawData().copyTo(out.duplicate());
    return out;
  }

  static TensorProto initializer(ModelProto graph, String name) throws IOException {
    if (graph != null) {
      for (TensorProto t : graph.getGraph().getInitializerList()) {
        if (t.getName().equals(name)) {
          return t;
        }
      }
    }
    throw new IOException("weight " + name + " is not in the graph");
  }

  static int bytesPer(int dataType) {
    return dataType == FLOAT ? 4 : 2;
  }

  /** ONNX Runtime's Java type for a weight's data type (float32, float16 or bfloat16: the only ones read here). */
  static OnnxJavaType javaType(int dataType) {
    return switch (dataType) {
      case FLOAT -> OnnxJavaType.FLOAT;
      case FLOAT16 -> OnnxJavaType.FLOAT16;
      case BFLOAT16 -> OnnxJavaType.BFLOAT16;
      default -> throw new IllegalArgumentException("ONNX type " + dataType + " is not a float weight type");
    };
  }
}
