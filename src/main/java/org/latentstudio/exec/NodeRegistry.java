package org.latentstudio.exec;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;

/** The node types this studio can run, by type id. Registration rejects a type id used twice. */
public final class NodeRegistry implements NodeCatalog {
  private final Map<String, NodeType> types = new LinkedHashMap<>();
  private List<NodeSchema> sorted;

  public NodeRegistry register(NodeType type) {
    String id = type.schema().typeId();
    if (types.putIfAbsent(id, type) != null) {
      throw new IllegalArgumentException("node type id '" + id + "' is registered twice");
    }
    sorted = null;
    return this;
  }

  public Optional<NodeType> type(String typeId) {
    return Optional.ofNullable(types.get(typeId));
  }

  @Override
  public Optional<NodeSchema> schema(String typeId) {
    return type(typeId).map(NodeType::schema);
  }

  @Override
  public synchronized List<NodeSchema> schemas() {
    if (sorted == null) {
      sorted = types.values().stream().map(NodeType::schema)
          .sorted(Comparator.comparing(NodeSchema::category).thenComparing(NodeSchema::displayName))
          .toList();
    }
    return sorted;
  }
}
