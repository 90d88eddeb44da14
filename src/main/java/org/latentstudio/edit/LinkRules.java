package org.latentstudio.edit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;

/**
 * Whether a wire may join an output to an input, and if not, why, in words the canvas shows at the refused
 * port. Checks the types (through reroutes, both ways), self-links and loops.
 */
public final class LinkRules {
  /** The answer: allowed, or refused with a reason. {@code sourceType} is what the wire would carry. */
  public record Verdict(boolean allowed, String reason, PortType sourceType) {
    static Verdict refuse(String reason, PortType type) {
      return new Verdict(false, reason, type);
    }
  }

  private final NodeCatalog catalog;
  private final GraphValidator validator;

  public LinkRules(NodeCatalog catalog) {
    this.catalog = catalog;
    this.validator = new GraphValidator(catalog);
  }

  public Verdict check(Graph graph, PortRef output, PortRef input) {
    Optional<Node> from = graph.node(output.node());
    Optional<Node> to = graph.node(input.node());
    if (from.isEmpty() || to.isEmpty()) {
      return Verdict.refuse("the node is gone", PortType.ANY);
    }
    Optional<OutputSpec> out = catalog.schema(from.get().type()).flatMap(s -> s.output(output.port()));
    Optional<InputSpec> in = catalog.schema(to.get().type()).flatMap(s -> s.input(input.port()));
    if (out.isEmpty() || in.isEmpty()) {
      return Verdict.refuse("unknown port", PortType.ANY);
    }
    PortType source = validator.outputType(graph, output);
    if (output.node().equals(input.node())) {
      return Verdict.refuse("a node cannot feed itself", source);
    }
    if (!in.get().type().accepts(source)) {
      return Verdict.refuse(source + " cannot go into " + in.get().type() + " input '" + input.port() + "'", source);
    }
    Optional<String> downstream = downstreamConflict(graph, to.get(), input.port(), source);
    if (downstream.isPresent()) {
      return Verdict.refuse(downstream.get(), source);
    }
    if (reaches(graph, input.node(), output.node())) {
      return Verdict.refuse("this link would make a loop", source);
    }
    return new Verdict(true, "", source);
  }

  public boolean allowed(Graph graph, Link link) {
    return check(graph, link.from(), link.to()).allowed();
  }

  /**
   * A reroute takes on the type of what feeds it; if its outputs already go into typed inputs, the new source
   * must fit them too.
   */
  private Optional<String> downstreamConflict(Graph graph, Node target, String inputName, PortType source) {
    if (source == PortType.ANY) {
      return Optional.empty();
    }
    Deque<PortRef> forwarded = new ArrayDeque<>();
    addForwardingOutputs(target, inputName, forwarded);
    Set<PortRef> seen = new HashSet<>();
    while (!forwarded.isEmpty()) {
      PortRef outRef = forwarded.poll();
      if (!seen.add(outRef)) {
        continue;
      }
      for (Link l : graph.linksFrom(outRef.node())) {
        if (!l.from().equals(outRef)) {
          continue;
        }
        Optional<Node> consumer = graph.node(l.to().node());
        Optional<InputSpec> spec = consumer.flatMap(c -> catalog.schema(c.type())).flatMap(s -> s.input(l.to().port()));
        if (spec.isEmpty()) {
          continue;
        }
        if (!spec.get().type().accepts(source)) {
          return Optional.of("the reroute already feeds " + spec.get().type() + " input " + l.to()
              + ", which cannot take " + source);
        }
        addForwardingOutputs(consumer.get(), l.to().port(), forwarded);
      }
    }
    return Optional.empty();
  }

  private void addForwardingOutputs(Node node, String inputName, Deque<PortRef> into) {
    Optional<NodeSchema> schema = catalog.schema(node.type());
    if (schema.isEmpty()) {
      return;
    }
    for (OutputSpec o : schema.get().outputs()) {
      if (inputName.equals(o.typeFrom())) {
        into.add(new PortRef(node.id(), o.name()));
      }
    }
  }

  /** Whether {@code goal} is downstream of {@code start} (or is start). */
  private static boolean reaches(Graph graph, NodeId start, NodeId goal) {
    Deque<NodeId> todo = new ArrayDeque<>();
    Set<NodeId> seen = new HashSet<>();
    todo.add(start);
    while (!todo.isEmpty()) {
      NodeId n = todo.poll();
      if (n.equals(goal)) {
        return true;
      }
      if (seen.add(n)) {
        for (Link l : graph.linksFrom(n)) {
          todo.add(l.to().node());
        }
      }
    }
    return false;
  }
}
