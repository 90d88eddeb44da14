package org.latentstudio.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The workflow file as Jackson maps it, version {@value WorkflowCodec#CURRENT_VERSION}. Kept apart from the graph
 * model so the file format can change through migrations without touching {@code graph}.
 *
 * <pre>
 * { "format": "latentstudio-workflow", "version": 2,
 *   "nodes":  [ { "id": "sampler", "type": "KSampler", "mode": "normal", "pos": [x, y], "size": [w, h],
 *                 "widgets": { "seed": 42 } } ],
 *   "links":  [ { "from": "checkpoint.MODEL", "to": "sampler.model" } ],
 *   "groups": [ { "title": "Prompt", "color": "#3f5f8a", "bounds": [x, y, w, h] } ],
 *   "extra":  { } }
 * </pre>
 */
@JsonPropertyOrder({"format", "version", "nodes", "links", "groups", "extra"})
record WorkflowDto(String format, Integer version, List<NodeDto> nodes, List<LinkDto> links, List<GroupDto> groups,
    ObjectNode extra) {

  static final String FORMAT = "latentstudio-workflow";

  @JsonPropertyOrder({"id", "type", "title", "mode", "pos", "size", "widgets"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NodeDto(String id, String type, String title, String mode, double[] pos, double[] size,
      Map<String, Object> widgets) {}

  @JsonPropertyOrder({"from", "to"})
  record LinkDto(String from, String to) {}

  @JsonPropertyOrder({"title", "color", "bounds"})
  record GroupDto(String title, String color, double[] bounds) {}
}
