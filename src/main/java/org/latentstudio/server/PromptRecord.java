package org.latentstudio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.latentstudio.graph.NodeId;
import org.latentstudio.interop.comfy.Imported;

/**
 * A queued prompt as ComfyUI's queue holds it: {@code [number, prompt_id, prompt, extra_data, outputs_to_execute]},
 * plus the client to tell and the ids the client knows the nodes by.
 *
 * @param clientId the WebSocket client to send the run's events to, or null
 */
record PromptRecord(long number, String promptId, JsonNode prompt, ObjectNode extraData, List<String> outputs,
    String clientId, Imported imported) {

  ArrayNode asQueueItem() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    a.add(number).add(promptId).add(prompt.deepCopy()).add(extraData.deepCopy());
    ArrayNode outs = a.addArray();
    outputs.forEach(outs::add);
    return a;
  }

  String comfyId(NodeId id) {
    return imported == null ? id.value() : imported.comfyId(id);
  }

  String classType(String comfyId) {
    return prompt.path(comfyId).path("class_type").asText(null);
  }
}
