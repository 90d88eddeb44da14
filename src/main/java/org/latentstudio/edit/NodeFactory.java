package org.latentstudio.edit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.Vec2;

/**
 * Makes new nodes from their schema: a readable fresh id from the type ("ksampler", "ksampler_2"), and every
 * widget set to its default, so a saved file keeps its meaning even if a default changes later.
 */
public final class NodeFactory {
  private NodeFactory() {}

  public static Node create(Graph graph, NodeSchema schema, Vec2 position, Vec2 size) {
    Map<String, Object> widgets = new LinkedHashMap<>();
    for (InputSpec in : schema.inputs()) {
      if (in.hasWidget() && in.defaultValue() != null) {
        widgets.put(in.name(), in.defaultValue());
      }
    }
    return new Node(graph.freshId(schema.typeId()), schema.typeId(), null, widgets, position, size, NodeMode.NORMAL);
  }
}
