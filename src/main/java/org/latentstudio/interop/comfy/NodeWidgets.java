package org.latentstudio.interop.comfy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.WidgetValues;

/**
 * Our widget values for a node ComfyUI also has, in our schema's order: ComfyUI's value where it gives one, else
 * a value this studio stored in the node's properties when it wrote the file; inputs given neither stay unset and
 * take their defaults. A stored
 * value wins over ComfyUI's only while ComfyUI's is still the one it was written as, so an edit made in ComfyUI is
 * never overridden.
 */
final class NodeWidgets {
  /** ComfyUI's default "control after generate", and ours: a missing after-run key means this. */
  static final String DEFAULT_CONTROL = "randomize";
  static final String AFTER_RUN = ".after_run";

  private NodeWidgets() {}

  /**
   * @param comfyValues ComfyUI's widget values by ComfyUI input name
   * @param controls    "control after generate" values by our input name
   * @param stored      values this studio kept in the node's properties, by our input name
   */
  static Map<String, Object> build(ComfyNode spec, NodeSchema schema, Map<String, Object> comfyValues,
      Map<String, Object> controls, Map<String, Object> stored) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (InputSpec in : schema.inputs()) {
      if (!in.hasWidget()) {
        continue;
      }
      Optional<ComfyNode.Widget> w = spec.widgets().stream().filter(x -> x.ourName().equals(in.name())).findFirst();
      Object value = null;
      if (w.isPresent() && comfyValues.containsKey(w.get().comfyName())) {
        Object raw = comfyValues.get(w.get().comfyName());
        Object keep = stored.get(in.name());
        value = keep != null && sameValue(w.get().mapping().toComfy(keep), raw) ? keep
            : w.get().mapping().toOurs(raw);
      } else if (stored.containsKey(in.name())) {
        value = stored.get(in.name());
      }
      if (value != null) {
        out.put(in.name(), coerce(in, value));
      }
      if (w.isPresent() && w.get().controlAfterGenerate()) {
        Object control = controls.get(in.name());
        if (control != null && !DEFAULT_CONTROL.equals(control)) {
          out.put(in.name() + AFTER_RUN, String.valueOf(control));
        }
      }
    }
    for (var e : stored.entrySet()) {
      if (!out.containsKey(e.getKey()) && schema.input(e.getKey()).isEmpty()) {
        out.put(e.getKey(), e.getValue()); // kept as this studio wrote it, such as a primitive's after-run control
      }
    }
    return out;
  }

  static Object coerce(InputSpec spec, Object value) {
    try {
      return WidgetValues.coerce(spec, value);
    } catch (IllegalArgumentException e) {
      return value; // validation names the bad value and the node
    }
  }

  /** Equal as JSON values: 5 and 5.0 are the same number. */
  static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a != null && a.equals(b);
  }
}
