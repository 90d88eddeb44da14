package org.latentstudio.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Version 1 followed ComfyUI's habits: links were arrays {@code [fromNode, fromOutput, toNode, toInput]} and the
 * node mode was ComfyUI's number (0 normal, 2 muted, 4 bypassed). Version 2 writes links as
 * {@code {"from": "node.port", "to": "node.port"}} and the mode as a word, which diff and read better.
 */
final class V1ToV2 implements Migration {
  @Override
  public int from() {
    return 1;
  }

  @Override
  public void apply(ObjectNode workflow) throws WorkflowFormatException {
    JsonNode links = workflow.get("links");
    if (links instanceof ArrayNode array) {
      ArrayNode rewritten = workflow.arrayNode();
      int i = 0;
      for (JsonNode link : array) {
        i++;
        if (!link.isArray() || link.size() != 4) {
          throw new WorkflowFormatException("link #" + i + " of this version 1 file should be "
              + "[fromNode, fromOutput, toNode, toInput] but is " + link);
        }
        ObjectNode o = rewritten.addObject();
        o.put("from", link.get(0).asText() + "." + link.get(1).asText());
        o.put("to", link.get(2).asText() + "." + link.get(3).asText());
      }
      workflow.set("links", rewritten);
    }
    JsonNode nodes = workflow.get("nodes");
    if (nodes instanceof ArrayNode array) {
      for (JsonNode n : array) {
        if (n instanceof ObjectNode node && node.has("mode") && node.get("mode").isNumber()) {
          int mode = node.get("mode").asInt();
          node.put("mode", switch (mode) {
            case 2 -> "muted";
            case 4 -> "bypassed";
            default -> "normal";
          });
        }
      }
    }
  }
}
