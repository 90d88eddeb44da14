package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortType;

/**
 * Which node types can take the end of a wire dropped on empty canvas: for a wire from an output, the types
 * with an input that accepts it; for a wire from an input, the types with an output that fits it. Exact type
 * matches come before ANY ports (reroute, show value).
 */
public final class PortMatching {
  private PortMatching() {}

  /** A node type and the port on it that the wire would join. */
  public record Match(NodeSchema schema, String port, boolean exact) {}

  public static List<Match> inputsAccepting(NodeCatalog catalog, PortType source) {
    List<Match> out = new ArrayList<>();
    for (NodeSchema s : catalog.schemas()) {
      InputSpec best = null;
      for (InputSpec in : s.inputs()) {
        if (!in.type().accepts(source)) {
          continue;
        }
        if (best == null || (in.type() == source && best.type() != source)
            || (in.type() == source && best.type() == source && best.hasWidget() && !in.hasWidget())) {
          best = in;
        }
      }
      if (best != null) {
        out.add(new Match(s, best.name(), best.type() == source && source != PortType.ANY));
      }
    }
    out.sort(Comparator.comparing((Match m) -> !m.exact()));
    return out;
  }

  public static List<Match> outputsFeeding(NodeCatalog catalog, PortType inputType) {
    List<Match> out = new ArrayList<>();
    for (NodeSchema s : catalog.schemas()) {
      OutputSpec best = null;
      for (OutputSpec o : s.outputs()) {
        if (!inputType.accepts(o.type())) {
          continue;
        }
        if (best == null || (o.type() == inputType && best.type() != inputType)) {
          best = o;
        }
      }
      if (best != null) {
        out.add(new Match(s, best.name(), best.type() == inputType && inputType != PortType.ANY));
      }
    }
    out.sort(Comparator.comparing((Match m) -> !m.exact()));
    return out;
  }
}
