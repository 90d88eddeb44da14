package org.latentstudio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.graph.Problem;
import org.latentstudio.interop.comfy.ComfyNodeMap;
import org.latentstudio.interop.comfy.Imported;

/**
 * Validation problems in the shape of ComfyUI's {@code POST /prompt} answer (execution.py's validate_prompt):
 * per node {@code {errors: [{type, message, details, extra_info: {input_name}}], dependent_outputs, class_type}},
 * with ComfyUI's error types and our messages, which name the fix, as the details.
 */
final class NodeErrors {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern PORT = Pattern.compile("input '([^']*)'");

  private NodeErrors() {}

  /** The 400 answer: a summary error and the errors by node id. */
  static ObjectNode response(List<Problem> problems, Imported imported, JsonNode prompt, List<String> outputs) {
    ObjectNode nodeErrors = F.objectNode();
    StringBuilder details = new StringBuilder();
    String topType = "prompt_outputs_failed_validation";
    String topMessage = "Prompt outputs failed validation";
    for (Problem p : problems) {
      if (details.length() > 0) {
        details.append('\n');
      }
      details.append(p.describe());
      if (p.kind() == Problem.Kind.NO_OUTPUT_NODE) {
        topType = "prompt_no_outputs";
        topMessage = "Prompt has no outputs";
      }
      if (p.node() == null) {
        continue;
      }
      String id = imported.comfyId(p.node());
      String classType = prompt.path(id).path("class_type").asText(p.nodeType());
      ObjectNode entry = (ObjectNode) nodeErrors.get(id);
      if (entry == null) {
        entry = nodeErrors.putObject(id);
        entry.putArray("errors");
        ArrayNode deps = entry.putArray("dependent_outputs");
        outputs.forEach(deps::add);
        entry.put("class_type", classType);
      }
      ObjectNode e = ((ArrayNode) entry.get("errors")).addObject();
      e.put("type", type(p));
      e.put("message", message(p));
      e.put("details", p.describe());
      ObjectNode extra = e.putObject("extra_info");
      String input = inputName(p, classType);
      if (input != null) {
        extra.put("input_name", input);
      }
    }
    ObjectNode out = F.objectNode();
    ObjectNode error = out.putObject("error");
    error.put("type", topType);
    error.put("message", topMessage);
    error.put("details", details.toString());
    error.putObject("extra_info");
    out.set("node_errors", nodeErrors);
    return out;
  }

  static String type(Problem p) {
    return switch (p.kind()) {
      case MISSING_INPUT -> "required_input_missing";
      case TYPE_MISMATCH -> "return_type_mismatch";
      case OUT_OF_RANGE -> p.message().contains("below") ? "value_smaller_than_min"
          : p.message().contains("above") ? "value_bigger_than_max" : "custom_validation_failed";
      case NOT_IN_LIST, MODEL -> "value_not_in_list";
      case BAD_VALUE -> "invalid_input_type";
      case NO_SUCH_PORT, NO_SUCH_NODE, MUTED_SOURCE -> "bad_linked_input";
      case CYCLE -> "dependency_cycle";
      case UNKNOWN_TYPE -> "invalid_prompt";
      case NO_OUTPUT_NODE -> "prompt_no_outputs";
    };
  }

  private static String message(Problem p) {
    return switch (p.kind()) {
      case MISSING_INPUT -> "Required input is missing";
      case TYPE_MISMATCH -> "Return type mismatch between linked nodes";
      case OUT_OF_RANGE, BAD_VALUE -> "Value is not valid: " + p.message();
      case NOT_IN_LIST, MODEL -> "Value not in list";
      case NO_SUCH_PORT, NO_SUCH_NODE, MUTED_SOURCE -> "Bad linked input";
      case CYCLE -> "Dependency cycle";
      case UNKNOWN_TYPE -> "Cannot execute because node " + p.nodeType() + " does not exist.";
      case NO_OUTPUT_NODE -> "Prompt has no outputs";
    };
  }

  /** The input named in the problem, by ComfyUI's name for it. */
  private static String inputName(Problem p, String classType) {
    if (p.port() == null) {
      return null;
    }
    Matcher m = PORT.matcher(p.port());
    if (!m.find()) {
      return null;
    }
    String ours = m.group(1);
    return ComfyNodeMap.byComfyType(classType).flatMap(s -> s.comfyInput(ours)).orElse(ours);
  }
}
