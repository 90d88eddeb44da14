package org.latentstudio.exec;

import java.util.Objects;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;

/**
 * One run: a graph snapshot, what to compute, and the settings.
 *
 * @param goals        the nodes whose outputs are wanted; empty means all active output nodes
 * @param workflowJson the workflow as saved, for embedding in pictures; may be empty
 */
public record RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, String workflowJson) {
  public RunRequest {
    Objects.requireNonNull(graph, "graph");
    goals = Set.copyOf(goals);
    Objects.requireNonNull(settings, "settings");
    workflowJson = workflowJson == null ? "" : workflowJson;
  }
}
