package org.latentstudio.graph;

import java.util.List;
import java.util.Optional;

/** The node types known to this studio, by type id. */
public interface NodeCatalog {
  Optional<NodeSchema> schema(String typeId);

  /** All schemas, ordered by category then display name. */
  List<NodeSchema> schemas();
}
