package org.latentstudio.exec;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;

/**
 * The node types this studio can run, by type id. Registration rejects a type id used twice. Each schema is
 * built once, at registration: validation and planning ask for schemas thousands of times per run.
 */
public final class NodeRegistry implements NodeCatalog {
  private final Map<String, NodeType> types = new LinkedHashMap<>();
  private final Map<String, NodeSchema> schemas = new LinkedHashMap<>();
  private List<NodeSchema> sorted;

  public NodeRegistry register(NodeType type) {
    NodeSchema schema = type.schema();
    String id = schema.typeId();
    if (types.putIfAbsent(id, type) != null) {
      throw new IllegalArgumentException("node type id '" + id + "' is registered twice");
    }
    schemas.put(id, schema);
    sorted = null;
    return this;
  }

  public Optional<NodeType> type(String typeId) {
    return Optional.ofNullable(types.get(typeId));
  }

  @Override
  public Optional<NodeSchema> schema(String typeId) {
    return Optional.ofNullable(schemas.get(typeId));
  }

  @Override
  public synchronized List<NodeSchema> schemas() {
    if (sorted == null) {
      sorted = schemas.values().stream()
          .sorted(Comparator.comparing(NodeSchema::category).thenComparing(NodeSchema::displayName))
          .toList();
    }
    return sorted;
  }
}
