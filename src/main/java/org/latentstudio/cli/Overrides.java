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
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.runtime.ModelLibrary;

/**
 * Applies {@code --set NODE_ID.INPUT=VALUE} to a graph, and says what it can set and to what ({@code validate
 * --inputs}, {@code --choices}, the bash completion). Setting an input that is fed by a link replaces the link
 * with the value, which is what "set this input" means. Range checks are left to validation, which names the node.
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

  /**
   * The values an input takes where they come from a list: its choices, true and false, or the names of the
   * models of its kind in the model folders (a path works too); empty for a free value. {@code nodeInput} is
   * NODE_ID.INPUT, as {@code --set} names it.
   */
  public static List<String> choices(Graph g, NodeCatalog catalog, ModelLibrary models, String nodeInput)
      throws BadOverride {
    int dot = nodeInput.indexOf('.');
    if (dot < 0) {
      throw new BadOverride("--choices " + nodeInput + ": expected NODE_ID.INPUT, e.g. sampler.sampler_name");
    }
    InputSpec spec = find(g, catalog, nodeInput.substring(0, dot), nodeInput.substring(dot + 1),
        "--choices " + nodeInput).spec();
    if (spec.hasChoices()) {
      return spec.choices();
    }
    if (spec.type() == PortType.BOOLEAN) {
      return List.of("true", "false");
    }
    for (ModelLibrary.Kind kind : ModelLibrary.Kind.values()) {
      if (kind.name().equalsIgnoreCase(spec.fileKind())) {
        return models.scan(kind).stream().map(ModelLibrary.Entry::name).toList();
      }
    }
    return List.of();
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
    Target target = find(g, catalog, nodeName, inputName, "--set " + assignment);
    InputSpec spec = target.spec();
    Object value;
    try {
      value = WidgetValues.parse(spec, text);
    } catch (IllegalArgumentException e) {
      throw new BadOverride("--set " + assignment + ": " + e.getMessage() + " (" + nodeName + "." + inputName
          + " is " + spec.type() + ")");
    }
    Node n = target.node();
    return g.withNode(n.withWidget(inputName, value)).withoutLink(new PortRef(n.id(), inputName));
  }

  private record Target(Node node, InputSpec spec) {}

  /** The node and the input with a value that {@code what} (the option as typed) names, or why there is none. */
  private static Target find(Graph g, NodeCatalog catalog, String nodeName, String inputName, String what)
      throws BadOverride {
    Optional<Node> node = NodeId.isValid(nodeName) ? g.node(NodeId.of(nodeName)) : Optional.empty();
    if (node.isEmpty()) {
      List<String> ids = g.nodes().keySet().stream().map(NodeId::value).toList();
      String hint = NameHints.closest(nodeName, ids).map(s -> "did you mean '" + s + "'? ").orElse("");
      throw new BadOverride(what + ": the workflow has no node '" + nodeName + "'. " + hint
          + "Its nodes are: " + String.join(", ", ids));
    }
    Node n = node.get();
    NodeSchema schema = catalog.schema(n.type()).orElseThrow(() -> new BadOverride(what
        + ": node '" + nodeName + "' has the unknown type " + n.type()));
    Optional<InputSpec> input = schema.input(inputName);
    if (input.isEmpty()) {
      String hint = NameHints.closest(inputName, schema.inputNames()).map(s -> "did you mean '" + s + "'? ")
          .orElse("");
      throw new BadOverride(what + ": node '" + nodeName + "' (" + n.type() + ") has no input '"
          + inputName + "'. " + hint + "Its inputs are: " + String.join(", ", schema.inputNames()));
    }
    if (!input.get().hasWidget()) {
      throw new BadOverride(what + ": input '" + inputName + "' of node '" + nodeName
          + "' takes a " + input.get().type() + " by link and has no value to set");
    }
    return new Target(n, input.get());
  }

  /** A {@code --set} that cannot be applied. */
  public static final class BadOverride extends Exception {
    private static final long serialVersionUID = 1L;

    BadOverride(String message) {
      super(message);
    }
  }
}
