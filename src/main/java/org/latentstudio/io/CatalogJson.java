package org.latentstudio.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;

/**
 * The node catalog in machine-readable form ({@code latentstudio nodes --json}): for each type id its display
 * name, category, description, whether it is an output node, and its typed inputs and outputs with widget
 * details. Editors and outside tools build their menus and forms from it.
 */
public final class CatalogJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CatalogJson() {}

  public static String write(NodeCatalog catalog) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "latentstudio-catalog");
    root.put("workflow_version", WorkflowCodec.CURRENT_VERSION);
    ObjectNode nodes = root.putObject("nodes");
    for (NodeSchema s : catalog.schemas()) {
      ObjectNode n = nodes.putObject(s.typeId());
      n.put("display_name", s.displayName());
      n.put("category", s.category());
      n.put("description", s.description());
      n.put("output_node", s.outputNode());
      ArrayNode inputs = n.putArray("inputs");
      for (InputSpec in : s.inputs()) {
        inputs.add(input(in));
      }
      ArrayNode outputs = n.putArray("outputs");
      for (OutputSpec out : s.outputs()) {
        ObjectNode o = outputs.addObject();
        o.put("name", out.name());
        o.put("type", out.type().name());
        if (out.typeFrom() != null) {
          o.put("type_from", out.typeFrom());
        }
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode input(InputSpec in) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", in.name());
    o.put("type", in.type().name());
    o.put("widget", in.hasWidget());
    o.putPOJO("default", in.defaultValue());
    if (in.min() != null) {
      o.putPOJO("min", in.min());
    }
    if (in.max() != null) {
      o.putPOJO("max", in.max());
    }
    if (in.step() != null) {
      o.putPOJO("step", in.step());
    }
    if (in.hasChoices()) {
      ArrayNode c = o.putArray("choices");
      in.choices().forEach(c::add);
    }
    o.put("multiline", in.multiline());
    o.put("optional", in.optional());
    if (in.seed()) {
      o.put("seed", true);
    }
    if (in.fileKind() != null) {
      o.put("file_kind", in.fileKind());
    }
    if (in.tooltip() != null) {
      o.put("tooltip", in.tooltip());
    }
    return o;
  }
}
