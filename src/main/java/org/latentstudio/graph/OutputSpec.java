package org.latentstudio.graph;

import java.util.Objects;

/**
 * The declaration of one output.
 *
 * @param typeFrom for an {@link PortType#ANY} output that forwards an input (a reroute), the input whose
 *                 source type it takes on; null otherwise
 */
public record OutputSpec(String name, PortType type, String typeFrom) {
  public OutputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
