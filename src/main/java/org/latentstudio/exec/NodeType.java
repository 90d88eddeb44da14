package org.latentstudio.exec;

import java.util.Map;
import org.latentstudio.graph.NodeSchema;

/**
 * A node type: its schema and a pure evaluate function. Implementations hold no state; models, progress,
 * cancellation and random numbers all come from the {@link ExecContext}.
 */
public interface NodeType {
  NodeSchema schema();

  Outputs evaluate(Inputs in, ExecContext ctx) throws Exception;

  /**
   * Extra cache-key material for nodes whose result depends on more than their inputs, such as the contents of
   * a file named by a widget. The default adds nothing.
   *
   * @param literals the node's widget values (inputs fed by links are not included)
   * @param services the executor's services, e.g. to resolve a model name to its folder
   */
  default String fingerprint(Map<String, Object> literals, Services services) {
    return "";
  }

  /**
   * The files the node's widget values name (a checkpoint, a LoRA, a picture) that it would not find, found
   * without reading them, for {@code latentstudio validate} to report before any run, as ComfyUI's validation
   * reports a model that is not in its list. Evaluate still reports them in its own words. The default finds none.
   *
   * @return the input's name, and why, for each such file
   */
  default Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    return Map.of();
  }
}
