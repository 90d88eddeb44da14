package org.latentstudio.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.latentstudio.graph.Graph;

/**
 * A workflow as a file holds it: the graph, plus {@code extra}, free-form data other tools or later versions
 * put there (the editor's view position, say). Extra data is kept as it is so that a save loses nothing.
 */
public record Workflow(Graph graph, ObjectNode extra) {
  public Workflow {
    Objects.requireNonNull(graph, "graph");
    extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
  }

  public static Workflow of(Graph graph) {
    return new Workflow(graph, null);
  }

  public Workflow withGraph(Graph newGraph) {
    return new Workflow(newGraph, extra);
  }

  @Override
  public ObjectNode extra() {
    return extra.deepCopy();
  }
}
