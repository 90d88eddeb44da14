package org.latentstudio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortType;
import org.latentstudio.interop.comfy.ComfyNode;
import org.latentstudio.interop.comfy.ComfyNodeMap;
import org.latentstudio.interop.comfy.ComfyTypes;
import org.latentstudio.runtime.ModelLibrary;

/**
 * {@code GET /object_info}: our catalog in ComfyUI's shape (server.py's node_info). Nodes ComfyUI also has are
 * listed under ComfyUI's names and inputs, with lists of what is really there (checkpoints, pictures in the input
 * folder, our samplers and the schedulers that map to ours); inputs only we have are optional under our names.
 * Our other nodes are listed under our own type ids, which prompts may use too.
 */
final class ObjectInfo {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** ComfyUI's scheduler names that mean one of ours (see the node map's scheduler mapping). */
  private static final List<String> SCHEDULERS = List.of("normal", "karras", "exponential", "simple", "ddim_uniform");

  private final NodeRegistry registry;
  private final ModelLibrary models;
  private final ServerFolders folders;

  ObjectInfo(NodeRegistry registry, ModelLibrary models, ServerFolders folders) {
    this.registry = registry;
    this.models = models;
    this.folders = folders;
  }

  ObjectNode all() {
    ObjectNode out = F.objectNode();
    Set<String> mapped = new HashSet<>();
    for (ComfyNode c : ComfyNodeMap.CORE) {
      registry.schema(c.ourType()).ifPresent(s -> {
        out.set(c.comfyType(), comfyNode(c, s));
        mapped.add(s.typeId());
      });
    }
    for (NodeSchema s : registry.schemas()) {
      if (!mapped.contains(s.typeId()) && !out.has(s.typeId())) {
        out.set(s.typeId(), ourNode(s));
      }
    }
    return out;
  }

  Optional<ObjectNode> one(String name) {
    ObjectNode all = all();
    return all.has(name) ? Optional.of((ObjectNode) all.get(name)) : Optional.empty();
  }

  private ObjectNode comfyNode(ComfyNode c, NodeSchema s) {
    ObjectNode info = F.objectNode();
    ObjectNode input = info.putObject("input");
    ObjectNode required = input.putObject("required");
    ObjectNode optional = F.objectNode();
    ObjectNode order = info.putObject("input_order");
    ArrayNode reqOrder = order.putArray("required");
    for (ComfyNode.Slot slot : c.slots()) {
      if (slot instanceof ComfyNode.Link l) {
        required.set(l.comfyName(), F.arrayNode().add(l.comfyTypeName()));
        reqOrder.add(l.comfyName());
      } else if (slot instanceof ComfyNode.Widget w) {
        InputSpec in = s.input(w.ourName()).orElse(null);
        if (in != null) {
          required.set(w.comfyName(), widget(c, w, in));
          reqOrder.add(w.comfyName());
        }
      }
    }
    ArrayNode optOrder = F.arrayNode();
    for (InputSpec in : s.inputs()) {
      if (c.comfyInput(in.name()).isEmpty()) {
        optional.set(in.name(), in.hasWidget() ? ourWidget(in) : F.arrayNode().add(ComfyTypes.name(in.type())));
        optOrder.add(in.name());
      }
    }
    if (!optional.isEmpty()) {
      input.set("optional", optional);
      order.set("optional", optOrder);
    }
    ArrayNode outs = info.putArray("output");
    ArrayNode names = info.putArray("output_name");
    ArrayNode lists = info.putArray("output_is_list");
    for (ComfyNode.Output o : c.outputs()) {
      outs.add(o.comfyTypeName());
      names.add(o.comfyTypeName());
      lists.add(false);
    }
    describe(info, c.comfyType(), c.displayName() == null ? s.displayName() : c.displayName(), s);
    return info;
  }

  private ObjectNode ourNode(NodeSchema s) {
    ObjectNode info = F.objectNode();
    ObjectNode input = info.putObject("input");
    ObjectNode required = input.putObject("required");
    ObjectNode optional = F.objectNode();
    ObjectNode order = info.putObject("input_order");
    ArrayNode reqOrder = order.putArray("required");
    ArrayNode optOrder = F.arrayNode();
    for (InputSpec in : s.inputs()) {
      var spec = in.hasWidget() ? ourWidget(in) : F.arrayNode().add(ComfyTypes.name(in.type()));
      if (in.optional()) {
        optional.set(in.name(), spec);
        optOrder.add(in.name());
      } else {
        required.set(in.name(), spec);
        reqOrder.add(in.name());
      }
    }
    if (!optional.isEmpty()) {
      input.set("optional", optional);
      order.set("optional", optOrder);
    }
    ArrayNode outs = info.putArray("output");
    ArrayNode names = info.putArray("output_name");
    ArrayNode lists = info.putArray("output_is_list");
    for (OutputSpec o : s.outputs()) {
      outs.add(ComfyTypes.name(o.type()));
      names.add(o.name());
      lists.add(false);
    }
    describe(info, s.typeId(), s.displayName(), s);
    return info;
  }

  private static void describe(ObjectNode info, String name, String display, NodeSchema s) {
    info.put("name", name);
    info.put("display_name", display);
    info.put("description", s.description());
    info.put("python_module", "latentstudio");
    info.put("category", s.category());
    info.put("output_node", s.outputNode());
  }

  private ArrayNode widget(ComfyNode c, ComfyNode.Widget w, InputSpec in) {
    if (w.comfyName().equals("ckpt_name")) {
      return list(models.scan(ModelLibrary.Kind.CHECKPOINT).stream().map(ModelLibrary.Entry::name).toList(),
          F.objectNode());
    }
    if (in.fileKind() != null && in.fileKind().equals("image")) {
      return list(inputPictures(), F.objectNode().put("image_upload", true));
    }
    if (w.comfyTypeName().equals("COMBO") && in.type() == PortType.BOOLEAN) {
      return list(List.of("enable", "disable"), F.objectNode());
    }
    if (w.comfyName().equals("scheduler")) {
      return list(SCHEDULERS, F.objectNode());
    }
    ArrayNode spec = ourWidget(in);
    if (w.controlAfterGenerate()) {
      ((ObjectNode) spec.get(1)).put("control_after_generate", true);
    }
    return spec;
  }

  private static ArrayNode list(List<String> values, ObjectNode options) {
    ArrayNode choices = F.arrayNode();
    values.forEach(choices::add);
    return F.arrayNode().add(choices).add(options);
  }

  private static ArrayNode ourWidget(InputSpec in) {
    if (in.hasChoices()) {
      return list(in.choices(), F.objectNode().put("default", String.valueOf(in.defaultValue())));
    }
    ObjectNode o = F.objectNode();
    switch (in.type()) {
      case INT -> numberRange(o, in, n -> F.numberNode(n.longValue()), 1);
      case FLOAT -> numberRange(o, in, n -> F.numberNode(n.doubleValue()), 0.01);
      case BOOLEAN -> o.put("default", Boolean.TRUE.equals(in.defaultValue()));
      default -> {
        o.put("default", in.defaultValue() == null ? "" : String.valueOf(in.defaultValue()));
        o.put("multiline", in.multiline());
      }
    }
    if (in.tooltip() != null) {
      o.put("tooltip", in.tooltip());
    }
    return F.arrayNode().add(ComfyTypes.name(in.type())).add(o);
  }

  /** default, min, max and step of a number widget, each as {@code json} writes it (ComfyUI's INT or FLOAT). */
  private static void numberRange(ObjectNode o, InputSpec in, Function<Number, JsonNode> json, Number defaultStep) {
    if (in.defaultValue() != null) {
      o.set("default", json.apply((Number) in.defaultValue()));
    }
    if (in.min() != null) {
      o.set("min", json.apply(in.min()));
    }
    if (in.max() != null) {
      o.set("max", json.apply(in.max()));
    }
    o.set("step", json.apply(in.step() == null ? defaultStep : in.step()));
  }

  /** Picture files in the input folder, as LoadImage's list in ComfyUI. */
  List<String> inputPictures() {
    if (!Files.isDirectory(folders.input())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folders.input())) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|webp|bmp|gif)")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
