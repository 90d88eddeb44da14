package org.latentstudio.exec;

import org.latentstudio.graph.PortRef;

/** Where a planned node's input comes from: a value set on the node, or another node's output. */
public sealed interface InputSource {
  record Literal(Object value) implements InputSource {}

  record Linked(PortRef output) implements InputSource {}
}
