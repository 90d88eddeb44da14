package org.latentstudio.interop.comfy;

import java.util.Map;
import org.latentstudio.graph.Node;

/** Reads what a placeholder node keeps of the ComfyUI node it stands for. */
final class Placeholders {
  private Placeholders() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> kept(Node n) {
    return n.widgets().get(ComfyWorkflowReader.PLACEHOLDER_KEY) instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
  }
}
