package org.latentstudio.compiler;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an ONNX graph with the generated protobuf classes: inputs, outputs, nodes, small constants with their
 * data and weights as external data (a file, an offset and a length: ONNX Runtime reads them from the user's
 * file). Node names carry the module path ("/down_blocks.0/resnets.1/conv1/Conv"), as torch's exporter does, so
 * a profile or an error points at the layer.
 */
final class OnnxGraph {
  static final int OPSET = 17;
  static final String MS_DOMAIN = "com.microsoft";

  // ONNX TensorProto.DataType numbers
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int FLOAT16 = 10;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<String, Integer> counters = new HashMap<>();
  private final Set<String> initializers = new HashSet<>();
  private final Deque<String> scope = new ArrayDeque<>();
  private boolean usesMicrosoftOps;

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A named attribute for {@link #op}. */
  record Attr(String name, AttributeProto proto) {
    static Attr i(String name, long value) {
      return new Attr(name, AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
          .setI(value).build());
    }

    static Attr f(String name, float value) {
      return new Attr(name, AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
          .setF(value).build());
    }

    static Attr s(String name, String value) {
      return new Attr(name, AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
          .setS(ByteString.copyFromUtf8(value)).build());
    }

    static Attr ints(String name, long... values) {
      AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
      for (long v : values) {
        b.addInts(v);
      }
      return new Attr(name, b.build());
    }
  }

  /**
   * Runs {@code body} with node names prefixed by the module path {@code module} ("down_blocks.0.resnets.1"),
   * as torch names exported nodes; the innermost module names the nodes.
   */
  void scoped(String module, Runnable body) {
    scope.addLast(module);
    try {
      body.run();
    } finally {
      scope.removeLast();
    }
  }

  /** Like {@link #scoped(String, Runnable)} for code that returns a value name. */
  String scoped(String module, java.util.function.Supplier<String> body) {
    scope.addLast(module);
    try {
      return body.get();
    } finally {
      scope.removeLast();
    }
  }

  /** Declares a graph input; a dim is a Long (fixed) or a String (named, dynamic). */
  String input(String name, int type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return name;
  }

  /** Declares {@code value} as the graph output {@code name}. */
  void output(String value, String name, int type, Object... dims) {
    String out = value;
    if (!value.equals(name)) {
      graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("/" + name + "/Identity").addInput(value)
          .addOutput(name));
      out = name;
    }
    graph.addOutput(valueInfo(out, type, dims));
  }

  /** Adds a node with one output and returns the output's name. */
  String op(String type, List<String> inputs, Attr... attrs) {
    return ops(type, 1, inputs, attrs)[0];
  }

  String op(String type, String input, Attr... attrs) {
    return op(type, List.of(input), attrs);
  }

  /** A node of the com.microsoft contrib domain, which ONNX Runtime implements (fused kernels). */
  String msOp(String type, List<String> inputs, Attr... attrs) {
    usesMicrosoftOps = true;
    return node(type, MS_DOMAIN, 1, inputs, attrs)[0];
  }

  /** Adds a node with {@code outputs} outputs. */
  String[] ops(String type, int outputs, List<String> inputs, Attr... attrs) {
    return node(type, "", outputs, inputs, attrs);
  }

  private String[] node(String type, String domain, int outputs, List<String> inputs, Attr... attrs) {
    String name = unique(prefix() + type);
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(name);
    if (!domain.isEmpty()) {
      n.setDomain(domain);
    }
    inputs.forEach(n::addInput);
    String[] outs = new String[outputs];
    for (int i = 0; i < outputs; i++) {
      outs[i] = name + "_output_" + i;
      n.addOutput(outs[i]);
    }
    for (Attr a : attrs) {
      n.addAttribute(a.proto());
    }
    graph.addNode(n);
    return outs;
  }

  /** A float constant with its data in the graph (for small tensors: scales, masks, frequencies). */
  String floats(float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return constant(FLOAT, b.array(), dims);
  }

  /** An int64 constant of any shape. */
  String longTensor(long[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return constant(INT64, b.array(), dims);
  }

  /** A 1-D int64 constant (shapes, axes, indices). */
  String longs(long... values) {
    return longTensor(values, values.length);
  }

  /** A scalar int64 constant. */
  String longScalar(long value) {
    return longTensor(new long[] {value});
  }

  /** A float scalar constant in the given float type (FLOAT or FLOAT16). */
  String scalar(float value, int type) {
    if (type == FLOAT16) {
      ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(value));
      return constant(FLOAT16, b.array());
    }
    return floats(new float[] {value});
  }

  private String constant(int type, byte[] data, long... dims) {
    String name = unique("const_" + prefix().replace('/', '_'));
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(data));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Declares a weight whose bytes ONNX Runtime reads from {@code location} (a file name relative to the folder
   * the session is told about) at {@code offset}. Declaring the same name twice is a no-op.
   */
  String external(String name, int type, long[] dims, String location, long offset, long length) {
    if (initializers.add(name)) {
      TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type)
          .setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", location))
          .addExternalData(entry("offset", Long.toString(offset)))
          .addExternalData(entry("length", Long.toString(length)));
      for (long d : dims) {
        t.addDims(d);
      }
      graph.addInitializer(t);
    }
    return name;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  ModelProto model(String producerVersion) {
    ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("latentstudio")
        .setProducerVersion(producerVersion)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    if (usesMicrosoftOps) {
      m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
    }
    return m.setGraph(graph).build();
  }

  private String prefix() {
    return scope.isEmpty() ? "/" : "/" + scope.peekLast() + "/";
  }

  private String unique(String base) {
    int n = counters.merge(base, 1, Integer::sum);
    return n == 1 ? base : base + "_" + (n - 1);
  }

  private static ValueInfoProto valueInfo(String name, int type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
  }
}
