package org.latentstudio.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NameHints;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.WidgetValues;

/**
 * Applies {@code --set NODE_ID.INPUT=VALUE} to a graph. Setting an input that is fed by a link replaces the
 * link with the value, which is what "set this input" means. Range checks are left to validation, which
 * names the node.
 */
public final class Overrides {
  private Overrides() {}

  public static Graph apply(Graph graph, NodeCatalog catalog, List<String> assignments) throws BadOverride {
    Graph g = graph;
    for (String a : assignments) {
      g = applyOne(g, catalog, a);
    }
    return g;
  }

  /**
   * What {@code --set} can change, one {@code NODE_ID.INPUT=VALUE} a line in the graph's order: each input with a
   * value, that value (line breaks written as \n), or nothing after the '=' where a link feeds it, since setting
   * it replaces the link. Nodes of an unknown type are left out; validation names them.
   */
  public static List<String> settable(Graph g, NodeCatalog catalog) {
    List<String> lines = new ArrayList<>();
    for (Node n : g.nodeList()) {
      NodeSchema schema = catalog.schema(n.type()).orElse(null);
      for (InputSpec spec : schema == null ? List.<InputSpec>of() : schema.inputs()) {
        if (!spec.hasWidget()) {
          continue;
        }
        Object value = g.linkInto(new PortRef(n.id(), spec.name())).isPresent() ? null
            : WidgetValues.effective(n, spec);
        String text = value == null ? "" : WidgetValues.format(value).replace("\n", "\\n");
        lines.add(n.id().value() + "." + spec.name() + "=" + text);
      }
    }
    return lines;
  }

  private static Graph applyOne(Graph g, NodeCatalog catalog, String assignment) throws BadOverride {
    int eq = assignment.indexOf('=');
    int dot = assignment.indexOf('.');
    if (eq < 0 || dot < 0 || dot > eq) {
      throw new BadOverride("--set " + assignment + ": expected NODE_ID.INPUT=VALUE, e.g. sampler.seed=42");
    }
    String nodeName = assignment.substring(0, dot);
    String inputName = assignment.substring(dot + 1, eq);
    String text = assignment.substring(eq + 1);
    Optional<Node> node = NodeId.isValid(nodeName) ? g.node(NodeId.of(nodeName)) : Optional.empty();
    if (node.isEmpty()) {
      List<String> ids = g.nodes().keySet().stream().map(NodeId::value).toList();
      String hint = NameHints.closest(nodeName, ids).map(s -> "did you mean '" + s + "'? ").orElse("");
      throw new BadOverride("--set " + assignment + ": the workflow has no node '" + nodeName + "'. " + hint
          + "Its nodes are: " + String.join(", ", ids));
    }
    Node n = node.get();
    NodeSchema schema = catalog.schema(n.type()).orElseThrow(() -> new BadOverride("--set " + assignment
        + ": node '" + nodeName + "' has the unknown type " + n.type()));
    Optional<InputSpec> input = schema.input(inputName);
    if (input.isEmpty()) {
      String hint = NameHints.closest(inputName, schema.inputNames()).map(s -> "did you mean '" + s + "'? ")
          .orElse("");
      throw new BadOverride("--set " + assignment + ": node '" + nodeName + "' (" + n.type() + ") has no input '"
          + inputName + "'. " + hint + "Its inputs are: " + String.join(", ", schema.inputNames()));
    }
    InputSpec spec = input.get();
    if (!spec.hasWidget()) {
      throw new BadOverride("--set " + assignment + ": input '" + inputName + "' of node '" + nodeName
          + "' takes a " + spec.type() + " by link and has no value to set");
    }
    Object value;
    try {
      value = WidgetValues.parse(spec, text);
    } catch (IllegalArgumentException e) {
      throw new BadOverride("--set " + assignment + ": " + e.getMessage() + " (" + nodeName + "." + inputName
          + " is " + spec.type() + ")");
    }
    return g.withNode(n.withWidget(inputName, value)).withoutLink(new PortRef(n.id(), inputName));
  }

  /** A {@code --set} that cannot be applied. */
  public static final class BadOverride extends Exception {
    private static final long serialVersionUID = 1L;

    BadOverride(String message) {
      super(message);
    }
  }
}
