package org.latentstudio.graph;

/**
 * How the executor treats a node. Muted nodes do not run; bypassed nodes pass each output through from the
 * first input of the same type, so a LoRA or ControlNet can be switched off without rewiring.
 */
public enum NodeMode {
  NORMAL,
  MUTED,
  BYPASSED;

  public String fileName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static NodeMode fromFileName(String name) {
    for (NodeMode m : values()) {
      if (m.fileName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown node mode '" + name + "' (expected normal, muted or bypassed)");
  }
}
