package org.latentstudio.exec;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;

/**
 * One run: a graph snapshot, what to compute, and the settings.
 *
 * @param goals the nodes whose outputs are wanted; empty means all active output nodes
 * @param text  the texts saved pictures carry, asked for when the first picture is saved: the command line makes
 *              them on another thread while the run starts
 */
public record RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, Supplier<PictureText> text) {
  public RunRequest {
    Objects.requireNonNull(graph, "graph");
    goals = Set.copyOf(goals);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(text, "text");
  }

  /**
   * @param workflowJson the workflow as saved, for embedding in pictures; may be empty
   * @param pictureText  more PNG text chunks for saved pictures (ComfyUI's "prompt" and "workflow"), by keyword
   */
  public RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, String workflowJson,
      Map<String, String> pictureText) {
    this(graph, goals, settings, constant(new PictureText(workflowJson, pictureText)));
  }

  public RunRequest(Graph graph, Set<NodeId> goals, RunSettings settings, String workflowJson) {
    this(graph, goals, settings, workflowJson, Map.of());
  }

  /** The texts saved pictures carry: the workflow as saved (may be empty), and more chunks by keyword. */
  public record PictureText(String workflowJson, Map<String, String> chunks) {
    public PictureText {
      workflowJson = workflowJson == null ? "" : workflowJson;
      chunks = chunks == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chunks));
    }
  }

  private static Supplier<PictureText> constant(PictureText text) {
    return () -> text;
  }

  public String workflowJson() {
    return text.get().workflowJson();
  }

  public Map<String, String> pictureText() {
    return text.get().chunks();
  }
}
