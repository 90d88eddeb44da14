package org.latentstudio.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds everything that would stop a graph from running, before it runs: unknown node types, links to ports
 * that do not exist or between incompatible types, required inputs left open, widget values out of range or
 * not in the allowed list, and cycles. Each {@link Problem} names the node, the port and the fix.
 */
public final class GraphValidator {
  private final NodeCatalog catalog;

  public GraphValidator(NodeCatalog catalog) {
    this.catalog = catalog;
  }

  public List<Problem> validate(Graph graph) {
    List<Problem> problems = new ArrayList<>();
    for (Node node : graph.nodeList()) {
      if (catalog.schema(node.type()).isEmpty() && node.mode() != NodeMode.MUTED) {
        problems.add(unknownType(node)); // a muted node never runs, whatever its type
      }
    }
    Set<PortRef> linkedInputs = new HashSet<>();
    for (Link link : graph.links()) {
      checkLink(graph, link, problems);
      linkedInputs.add(link.to());
    }
    for (Node node : graph.nodeList()) {
      if (node.mode() != NodeMode.MUTED) {
        catalog.schema(node.type()).ifPresent(s -> {
          checkWidgetNames(node, s, problems);
          checkInputs(node, s, linkedInputs, problems);
        });
      }
    }
    problems.addAll(findCycles(graph));
    return problems;
  }

  /** The type a link out of this output really carries: forwarding outputs (reroutes) take their source's. */
  public PortType outputType(Graph graph, PortRef output) {
    Set<NodeId> seen = new HashSet<>();
    PortRef current = output;
    while (seen.add(current.node())) {
      Optional<Node> node = graph.node(current.node());
      Optional<NodeSchema> schema = node.flatMap(n -> catalog.schema(n.type()));
      String port = current.port();
      Optional<OutputSpec> spec = schema.flatMap(s -> s.output(port));
      if (spec.isEmpty()) {
        return PortType.ANY;
      }
      if (spec.get().typeFrom() == null) {
        return spec.get().type();
      }
      Optional<Link> upstream = graph.linkInto(new PortRef(current.node(), spec.get().typeFrom()));
      if (upstream.isEmpty()) {
        return PortType.ANY;
      }
      current = upstream.get().from();
    }
    return PortType.ANY;
  }

  private void checkLink(Graph graph, Link link, List<Problem> out) {
    Optional<Node> from = graph.node(link.from().node());
    Optional<Node> to = graph.node(link.to().node());
    if (to.isEmpty()) {
      out.add(new Problem(Problem.Kind.NO_SUCH_NODE, link.from().node(), from.map(Node::type).orElse(null),
          "output '" + link.from().port() + "'", "a link goes to node '" + link.to().node()
              + "', which is not in the graph", "remove the link"));
      return;
    }
    Node target = to.get();
    if (from.isEmpty()) {
      out.add(new Problem(Problem.Kind.NO_SUCH_NODE, target.id(), target.type(), input(link.to().port()),
          "the link comes from node '" + link.from().node() + "', which is not in the graph",
          "connect the input to an existing node or remove the link"));
      return;
    }
    Node source = from.get();
    Optional<NodeSchema> sourceSchema = catalog.schema(source.type());
    Optional<NodeSchema> targetSchema = catalog.schema(target.type());
    if (sourceSchema.isEmpty() || targetSchema.isEmpty()) {
      return; // already reported as unknown type
    }
    Optional<InputSpec> in = targetSchema.get().input(link.to().port());
    if (in.isEmpty()) {
      out.add(new Problem(Problem.Kind.NO_SUCH_PORT, target.id(), target.type(), input(link.to().port()),
          target.type() + " has no input '" + link.to().port() + "' (its inputs: "
              + String.join(", ", targetSchema.get().inputNames()) + ")",
          "remove the link or connect it to one of those inputs"));
      return;
    }
    if (sourceSchema.get().output(link.from().port()).isEmpty()) {
      out.add(new Problem(Problem.Kind.NO_SUCH_PORT, target.id(), target.type(), input(link.to().port()),
          "the link comes from output '" + link.from().port() + "' of node '" + source.id() + "' ("
              + source.type() + "), which has no such output (its outputs: "
              + String.join(", ", sourceSchema.get().outputNames()) + ")",
          "reconnect the input to an existing output"));
      return;
    }
    PortType sourceType = outputType(graph, link.from());
    if (!in.get().type().accepts(sourceType)) {
      out.add(new Problem(Problem.Kind.TYPE_MISMATCH, target.id(), target.type(), input(in.get().name()),
          "expects " + in.get().type() + " but is linked to " + link.from() + ", which gives " + sourceType,
          "connect a " + in.get().type() + " output to it"));
    }
  }

  /** A value under a name the node does not have would be ignored, and the input would run on its default. */
  private static void checkWidgetNames(Node node, NodeSchema schema, List<Problem> out) {
    for (String name : node.widgets().keySet()) {
      if (schema.input(name).isPresent() || WidgetValues.isAfterRunKey(name, schema)) {
        continue;
      }
      List<String> names = schema.inputs().stream().filter(InputSpec::hasWidget).map(InputSpec::name).toList();
      String hint = NameHints.closest(name, names).map(s -> "; did you mean '" + s + "'?").orElse("");
      out.add(new Problem(Problem.Kind.NO_SUCH_PORT, node.id(), node.type(), "widget '" + name + "'",
          node.type() + " has no input '" + name + "'" + hint, names.isEmpty() ? "remove the value from the file"
              : "rename it to one of " + String.join(", ", names) + " in the file, or remove it"));
    }
  }

  private void checkInputs(Node node, NodeSchema schema, Set<PortRef> linked, List<Problem> out) {
    for (InputSpec spec : schema.inputs()) {
      if (linked.contains(new PortRef(node.id(), spec.name()))) {
        continue;
      }
      if (spec.requiresLink()) {
        out.add(new Problem(Problem.Kind.MISSING_INPUT, node.id(), node.type(), input(spec.name()),
            "required input of type " + spec.type() + " is not connected",
            "connect a " + spec.type() + " output to it"));
        continue;
      }
      if (!spec.hasWidget()) {
        continue;
      }
      Object raw = WidgetValues.effective(node, spec);
      if (raw == null) {
        if (!spec.optional()) {
          out.add(new Problem(Problem.Kind.MISSING_INPUT, node.id(), node.type(), input(spec.name()),
              "has no value", "set a value for " + spec.name()));
        }
        continue;
      }
      Object value;
      try {
        value = WidgetValues.coerce(spec, raw);
      } catch (IllegalArgumentException e) {
        out.add(new Problem(Problem.Kind.BAD_VALUE, node.id(), node.type(), input(spec.name()),
            e.getMessage(), "enter a " + spec.type().name().toLowerCase(java.util.Locale.ROOT) + " value"));
        continue;
      }
      String[] bad = WidgetValues.check(spec, value);
      if (bad != null) {
        Problem.Kind kind = spec.hasChoices() ? Problem.Kind.NOT_IN_LIST : Problem.Kind.OUT_OF_RANGE;
        out.add(new Problem(kind, node.id(), node.type(), input(spec.name()), bad[0], bad[1]));
      }
    }
  }

  /** Reports each cycle once, on the first node of the cycle in graph order. */
  private List<Problem> findCycles(Graph graph) {
    Map<NodeId, List<NodeId>> next = new HashMap<>();
    for (Link l : graph.links()) {
      if (graph.contains(l.from().node()) && graph.contains(l.to().node())) {
        next.computeIfAbsent(l.from().node(), k -> new ArrayList<>()).add(l.to().node());
      }
    }
    Map<NodeId, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    List<Problem> out = new ArrayList<>();
    for (NodeId start : graph.nodes().keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<NodeId> path = new ArrayDeque<>();
      Deque<Iterator<NodeId>> its = new ArrayDeque<>();
      path.push(start);
      its.push(next.getOrDefault(start, List.of()).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        Iterator<NodeId> it = its.peek();
        if (it.hasNext()) {
          NodeId n = it.next();
          Integer s = state.get(n);
          if (s == null) {
            state.put(n, 1);
            path.push(n);
            its.push(next.getOrDefault(n, List.of()).iterator());
          } else if (s == 1) {
            out.add(cycleProblem(graph, path, n));
          }
        } else {
          state.put(path.pop(), 2);
          its.pop();
        }
      }
    }
    return out;
  }

  private static Problem cycleProblem(Graph graph, Deque<NodeId> path, NodeId closing) {
    List<NodeId> cycle = new ArrayList<>();
    for (Iterator<NodeId> it = path.descendingIterator(); it.hasNext(); ) {
      NodeId n = it.next();
      if (n.equals(closing) || !cycle.isEmpty()) {
        cycle.add(n);
      }
    }
    StringBuilder ring = new StringBuilder();
    for (NodeId n : cycle) {
      ring.append(n).append(" -> ");
    }
    ring.append(closing);
    Node first = graph.require(closing);
    return new Problem(Problem.Kind.CYCLE, first.id(), first.type(), null,
        "is part of a cycle: " + ring, "remove one of the links in this loop; a graph must flow one way");
  }

  private Problem unknownType(Node node) {
    String hint = NameHints.closest(node.type(), catalog.schemas().stream().map(NodeSchema::typeId).toList())
        .map(s -> "did you mean " + s + "? Otherwise remove the node, mute it (Ctrl+M) or replace it with a node "
            + "this studio has")
        .orElse("remove the node, mute it (Ctrl+M) or replace it with a node this studio has");
    return new Problem(Problem.Kind.UNKNOWN_TYPE, node.id(), node.type(), null,
        "unknown node type '" + node.type() + "'", hint);
  }

  private static String input(String name) {
    return "input '" + name + "'";
  }
}
