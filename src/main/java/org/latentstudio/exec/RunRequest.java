package org.latentstudio.exec;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;

/**
 * One run: a graph snapshot, what to compute, and the settings.
 *
 * @param goals        the nodes whose outputs are wanted; empty means all active output nodes
 * @param workflowJson the workflow as saved, for embedding in pictures; may be empty
 * @param pictureText  more PNG text chunks for saved pictures (ComfyUI's "prompt" and "workflow"), by keyword
 */
public record RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, String workflowJson,
    Map<String, String> pictureText) {
  public RunRequest {
    Objects.requireNonNull(graph, "graph");
    goals = Set.copyOf(goals);
    Objects.requireNonNull(settings, "settings");
    workflowJson = workflowJson == null ? "" : workflowJson;
    pictureText = pictureText == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(pictureText));
  }

  public RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, String workflowJson) {
    this(graph, goals, settings, workflowJson, Map.of());
  }
}
