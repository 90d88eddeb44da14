package org.latentstudio.graph;

/**
 * The type of a port. A link may join an output to an input of the same type; {@link #ANY} ports (reroute,
 * show-value) accept every type. Primitive types can also be set as a widget value on the node itself.
 */
public enum PortType {
  MODEL,
  CLIP,
  VAE,
  CONDITIONING,
  LATENT,
  IMAGE,
  MASK,
  CONTROL_NET,
  IP_ADAPTER,
  CLIP_VISION,
  INT,
  FLOAT,
  STRING,
  BOOLEAN,
  ANY;

  public boolean isPrimitive() {
    return this == INT || this == FLOAT || this == STRING || this == BOOLEAN;
  }

  /** Whether an output of type {@code source} may feed an input of this type. */
  public boolean accepts(PortType source) {
    return this == source || this == ANY || source == ANY;
  }
}
