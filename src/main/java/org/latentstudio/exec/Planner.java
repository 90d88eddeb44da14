package org.latentstudio.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.Problem;
import org.latentstudio.graph.WidgetValues;

/**
 * Decides what a run needs and in which order: starting from the goal (output) nodes it walks links backwards,
 * resolves bypassed nodes to the inputs they pass through, and orders the needed nodes topologically.
 * Problems in nodes the run does not need do not stop it.
 */
public final class Planner {
  private final NodeRegistry registry;
  private final GraphValidator validator;

  public Planner(NodeRegistry registry) {
    this.registry = registry;
    this.validator = new GraphValidator(registry);
  }

  /**
   * What {@link #plan} finds wrong: the problems that stop the run, and those in nodes the run does not need.
   *
   * @param blocking the problems {@link #plan} refuses the graph for
   * @param elsewhere problems in nodes that are not needed for the goals, which do not stop the run
   */
  public record Check(List<Problem> blocking, List<Problem> elsewhere) {
    public Check {
      blocking = List.copyOf(blocking);
      elsewhere = List.copyOf(elsewhere);
    }
  }

  /**
   * @param requestedGoals the nodes whose outputs are wanted; empty means every active output node
   */
  public Plan plan(Graph graph, Set<NodeId> requestedGoals) throws GraphValidationException {
    Analysis a = analyse(graph, requestedGoals);
    if (!a.check().blocking().isEmpty()) {
      throw new GraphValidationException(a.check().blocking());
    }
    return new Plan(order(graph, a.sources()), a.goals());
  }

  /** Checks the graph as {@link #plan} does, without stopping at the first refusal: {@code validate} and {@code run} agree. */
  public Check check(Graph graph, Set<NodeId> requestedGoals) {
    return analyse(graph, requestedGoals).check();
  }

  private record Analysis(Map<NodeId, Map<String, InputSource>> sources, Set<NodeId> goals, Check check) {}

  private Analysis analyse(Graph graph, Set<NodeId> requestedGoals) {
    List<Problem> problems = new ArrayList<>(validator.validate(graph));
    Map<PortRef, Link> linkInto = new HashMap<>();
    for (Link l : graph.links()) {
      linkInto.put(l.to(), l);
    }
    Set<NodeId> goals = goals(graph, requestedGoals, problems);

    Map<NodeId, Map<String, InputSource>> sources = new LinkedHashMap<>();
    Deque<NodeId> queue = new ArrayDeque<>(goals);
    Set<NodeId> seen = new HashSet<>(goals);
    while (!queue.isEmpty()) {
      Node node = graph.require(queue.poll());
      Optional<NodeSchema> schema = registry.schema(node.type());
      if (schema.isEmpty()) {
        // needed but of an unknown type: keep it in the plan's reach so its problem stops the run
        sources.put(node.id(), Map.of());
        continue;
      }
      Map<String, InputSource> in = new LinkedHashMap<>();
      for (InputSpec spec : schema.get().inputs()) {
        PortRef input = new PortRef(node.id(), spec.name());
        Link link = linkInto.get(input);
        if (link != null) {
          PortRef source = resolveSource(graph, linkInto, link, node, spec, problems);
          if (source != null) {
            in.put(spec.name(), new InputSource.Linked(source));
            if (seen.add(source.node())) {
              queue.add(source.node());
            }
          }
        } else if (spec.hasWidget()) {
          Object raw = WidgetValues.effective(node, spec);
          if (raw != null) {
            try {
              in.put(spec.name(), new InputSource.Literal(WidgetValues.coerce(spec, raw)));
            } catch (IllegalArgumentException e) {
              // reported by the validator
            }
          }
        }
      }
      sources.put(node.id(), in);
    }

    List<Problem> blocking = new ArrayList<>();
    List<Problem> elsewhere = new ArrayList<>();
    for (Problem p : problems) {
      (p.node() == null || sources.containsKey(p.node()) || isActiveUnknown(graph, p) ? blocking : elsewhere).add(p);
    }
    return new Analysis(sources, goals, new Check(blocking, elsewhere));
  }

  /**
   * A node of a type this studio lacks stops every run unless it is muted, wherever it sits: it may be an output
   * node or feed one in ways its unknown ports hide (ComfyUI refuses such prompts too), and silently leaving it
   * out would give a different result from the one its workflow promises.
   */
  private static boolean isActiveUnknown(Graph graph, Problem p) {
    return p.kind() == Problem.Kind.UNKNOWN_TYPE
        && graph.node(p.node()).map(n -> n.mode() != NodeMode.MUTED).orElse(false);
  }

  private Set<NodeId> goals(Graph graph, Set<NodeId> requested, List<Problem> problems) {
    Set<NodeId> goals = new LinkedHashSet<>();
    if (!requested.isEmpty()) {
      for (NodeId id : requested) {
        Optional<Node> n = graph.node(id);
        if (n.isEmpty()) {
          problems.add(new Problem(Problem.Kind.NO_SUCH_NODE, null, null, null,
              "there is no node '" + id + "' to run", "pick one of the graph's nodes"));
        } else if (n.get().mode() != NodeMode.NORMAL) {
          problems.add(new Problem(Problem.Kind.MUTED_SOURCE, id, n.get().type(), null,
              "is " + n.get().mode().fileName() + " and cannot be run", "set the node back to normal"));
        } else {
          goals.add(id);
        }
      }
      return goals;
    }
    for (Node n : graph.nodeList()) {
      boolean output = registry.schema(n.type()).map(NodeSchema::outputNode).orElse(false);
      if (output && n.mode() == NodeMode.NORMAL) {
        goals.add(n.id());
      }
    }
    if (goals.isEmpty()) {
      problems.add(new Problem(Problem.Kind.NO_OUTPUT_NODE, null, null, null,
          "the workflow has no active output node, so there is nothing to run",
          "add a Save Image, Preview Image or Show Value node, or unmute one"));
    }
    return goals;
  }

  /** Follows a link back through bypassed nodes to the output of a node that really runs. */
  private PortRef resolveSource(Graph graph, Map<PortRef, Link> linkInto, Link link, Node consumer,
      InputSpec consumerInput, List<Problem> problems) {
    PortRef source = link.from();
    Set<NodeId> visited = new HashSet<>();
    while (true) {
      Optional<Node> sourceNode = graph.node(source.node());
      if (sourceNode.isEmpty() || !visited.add(source.node())) {
        return null; // missing node and cycles are reported by the validator
      }
      Node s = sourceNode.get();
      if (s.mode() == NodeMode.NORMAL) {
        return source;
      }
      if (s.mode() == NodeMode.MUTED) {
        problems.add(new Problem(Problem.Kind.MUTED_SOURCE, consumer.id(), consumer.type(),
            "input '" + consumerInput.name() + "'", "comes from node '" + s.id() + "', which is muted",
            "unmute '" + s.id() + "', bypass it instead, or connect the input elsewhere"));
        return null;
      }
      Optional<PortRef> through = passThrough(graph, linkInto, s, source.port());
      if (through.isEmpty()) {
        PortType type = validator.outputType(graph, source);
        problems.add(new Problem(Problem.Kind.MUTED_SOURCE, consumer.id(), consumer.type(),
            "input '" + consumerInput.name() + "'", "comes from node '" + s.id()
                + "', which is bypassed but has no linked " + type + " input to pass through",
            "set '" + s.id() + "' back to normal or link a " + type + " input to it"));
        return null;
      }
      source = through.get();
    }
  }

  /** The source feeding the first linked input of a bypassed node whose type matches the wanted output. */
  private Optional<PortRef> passThrough(Graph graph, Map<PortRef, Link> linkInto, Node bypassed, String output) {
    Optional<NodeSchema> schema = registry.schema(bypassed.type());
    if (schema.isEmpty()) {
      return Optional.empty();
    }
    Optional<OutputSpec> out = schema.get().output(output);
    if (out.isEmpty()) {
      return Optional.empty();
    }
    PortType wanted = validator.outputType(graph, new PortRef(bypassed.id(), output));
    for (InputSpec in : schema.get().inputs()) {
      Link l = linkInto.get(new PortRef(bypassed.id(), in.name()));
      if (l != null && (in.type() == wanted || (in.type() == PortType.ANY && out.get().typeFrom() != null))) {
        return Optional.of(l.from());
      }
    }
    return Optional.empty();
  }

  /** Kahn's algorithm; ties broken by the nodes' order in the graph so plans are stable. */
  private List<PlannedNode> order(Graph graph, Map<NodeId, Map<String, InputSource>> sources) {
    Map<NodeId, Integer> rank = new HashMap<>();
    int r = 0;
    for (NodeId id : graph.nodes().keySet()) {
      rank.put(id, r++);
    }
    Map<NodeId, Integer> pending = new HashMap<>();
    Map<NodeId, List<NodeId>> consumers = new HashMap<>();
    for (var e : sources.entrySet()) {
      Set<NodeId> ups = new HashSet<>();
      for (InputSource src : e.getValue().values()) {
        if (src instanceof InputSource.Linked l) {
          ups.add(l.output().node());
        }
      }
      pending.put(e.getKey(), ups.size());
      for (NodeId up : ups) {
        consumers.computeIfAbsent(up, k -> new ArrayList<>()).add(e.getKey());
      }
    }
    PriorityQueue<NodeId> ready = new PriorityQueue<>((a, b) -> Integer.compare(rank.get(a), rank.get(b)));
    pending.forEach((id, n) -> {
      if (n == 0) {
        ready.add(id);
      }
    });
    List<PlannedNode> order = new ArrayList<>(sources.size());
    while (!ready.isEmpty()) {
      NodeId id = ready.poll();
      Node node = graph.require(id);
      Map<String, Object> literals = new LinkedHashMap<>();
      sources.get(id).forEach((name, src) -> {
        if (src instanceof InputSource.Literal lit) {
          literals.put(name, lit.value());
        }
      });
      order.add(new PlannedNode(id, node.type(), registry.type(node.type()).orElseThrow(), sources.get(id), literals));
      for (NodeId c : consumers.getOrDefault(id, List.of())) {
        if (pending.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    return order;
  }
}
