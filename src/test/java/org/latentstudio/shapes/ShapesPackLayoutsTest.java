package org.latentstudio.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.weights.DType;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.StoredTensor;
import org.junit.jupiter.api.Test;

/**
 * The shapes pack holds its weights twice: diffusers safetensors ({@code text_encoder/}, {@code unet/},
 * {@code vae/}) and the ONNX graphs the runtime loads today. Both must hold the same numbers under the names
 * other tools expect, or the two load paths would draw different pictures. Every graph initializer is traced to
 * its parameter (by name where torch.onnx kept it, else by the module path in the consuming node's name, with
 * the transpose of a Linear weight or the reshape of a GroupNorm affine undone) and compared bit for bit with
 * the safetensors tensor of that name; every tensor in the files must be reached.
 */
class ShapesPackLayoutsTest {
  static final Path PACK = Path.of("assets/models/shapes");

  /** One model folder in diffusers' layout and the ONNX graphs made from it. */
  record Component(String safetensors, String graphPrefix, List<String> graphs) {}

  static final List<Component> COMPONENTS = List.of(
      new Component("text_encoder/model.safetensors", "text_encoder", List.of("text_encoder")),
      new Component("unet/diffusion_pytorch_model.safetensors", "unet", List.of("unet")),
      new Component("vae/diffusion_pytorch_model.safetensors", "vae", List.of("vae_decoder", "vae_encoder")));

  @Test
  void everyGraphWeightIsItsSafetensorsTensorBitForBit() throws Exception {
    for (Component c : COMPONENTS) {
      Map<String, StoredTensor> tensors = SafetensorsFile.open(PACK.resolve(c.safetensors())).tensors().byName();
      TreeSet<String> unreached = new TreeSet<>(tensors.keySet());
      for (String graph : c.graphs()) {
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(PACK.resolve(graph + "/model.onnx")))
            .getGraph();
        Map<String, OnnxMl.NodeProto> consumer = new HashMap<>();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
          n.getInputList().forEach(in -> consumer.putIfAbsent(in, n));
        }
        for (OnnxMl.TensorProto init : g.getInitializerList()) {
          Source src = source(init, consumer.get(init.getName()), c.graphPrefix());
          String name = c.graphPrefix().equals("text_encoder") ? transformersName(src.parameter) : src.parameter;
          StoredTensor t = tensors.get(name);
          if (t == null) {
            fail(c.safetensors() + " has no tensor " + name + " for " + graph + "'s initializer " + init.getName());
          }
          assertEquals(DType.F32, t.dtype(), name);
          float[] want = values(init);
          float[] got = t.readFloats();
          if (src.transposed) {
            assertEquals(2, t.rank(), name);
            got = transpose(got, (int) t.dim(0), (int) t.dim(1));
          }
          assertTrue(Arrays.equals(want, got), c.safetensors() + ": " + name + " differs from " + graph
              + "'s initializer " + init.getName());
          unreached.remove(name);
        }
      }
      assertTrue(unreached.isEmpty(), c.safetensors() + " holds tensors no graph uses: " + unreached);
    }
  }

  /** Where an initializer came from: the parameter's name in its torch module, and whether it was transposed. */
  record Source(String parameter, boolean transposed) {}

  static Source source(OnnxMl.TensorProto init, OnnxMl.NodeProto node, String prefix) {
    String name = init.getName();
    if (!name.startsWith("onnx::")) {
      return new Source(name.substring(name.indexOf('.') + 1), false); // "unet.conv_in.weight" -> "conv_in.weight"
    }
    // torch.onnx names nodes after the module that emitted them: "/unet/down_blocks.0/.../to_q/MatMul"
    String[] parts = node.getName().substring(1).split("/");
    String module = String.join(".", Arrays.copyOfRange(parts, parts[0].equals(prefix) ? 1 : 0, parts.length - 1));
    return switch (node.getOpType()) {
      case "MatMul" -> new Source(module + ".weight", true);  // Linear: x @ W^T
      case "Mul" -> new Source(module + ".weight", false);    // GroupNorm affine, unsqueezed to [C, 1, 1]
      case "Add" -> new Source(module + ".bias", false);
      default -> throw new AssertionError("unexpected renamed initializer " + name + " in " + node.getName());
    };
  }

  private static final Pattern LAYER = Pattern.compile("layers\\.(\\d+)\\.(.*)");

  /** Our CLIP-like encoder's parameter names as transformers' CLIPTextModel names them. */
  static String transformersName(String ours) {
    Matcher m = LAYER.matcher(ours);
    if (m.matches()) {
      String rest = m.group(2).startsWith("fc") ? "mlp." + m.group(2) : m.group(2);
      return "text_model.encoder.layers." + m.group(1) + "." + rest;
    }
    return ours.startsWith("final_layer_norm.") ? "text_model." + ours : "text_model.embeddings." + ours;
  }

  static float[] values(OnnxMl.TensorProto t) throws IOException {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IOException(t.getName() + " is not float32");
    }
    if (t.getRawData().isEmpty()) {
      float[] out = new float[t.getFloatDataCount()];
      for (int i = 0; i < out.length; i++) {
        out[i] = t.getFloatData(i);
      }
      return out;
    }
    float[] out = new float[t.getRawData().size() / 4];
    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static float[] transpose(float[] a, int rows, int cols) {
    float[] out = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = a[r * cols + c];
      }
    }
    return out;
  }
}
