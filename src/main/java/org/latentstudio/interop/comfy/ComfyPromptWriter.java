package org.latentstudio.interop.comfy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.WidgetValues;

/**
 * Writes a graph as a ComfyUI API prompt, as ComfyUI's front end does on "Queue": notes go, muted nodes go,
 * reroutes and bypassed nodes are wired through (a bypassed node passes on its first input of the output's type).
 * Inputs ComfyUI lacks are written under our names only when they differ from their defaults; ComfyUI ignores
 * them. Node types ComfyUI does not have cannot be written; {@link NotExportable} names them all.
 */
public final class ComfyPromptWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final NodeCatalog catalog;
  private final GraphValidator validator;

  /** The graph holds nodes ComfyUI cannot run. */
  public static final class NotExportable extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Node> nodes;

    NotExportable(List<Node> nodes) {
      super("ComfyUI has no node for " + String.join(", ", nodes.stream()
          .map(n -> "'" + n.id() + "' (" + n.type() + ")").toList())
          + ". Remove or replace them, or save a ComfyUI UI workflow instead, which keeps them as missing nodes");
      this.nodes = List.copyOf(nodes);
    }

    public List<Node> nodes() {
      return nodes;
    }
  }

  public ComfyPromptWriter(NodeCatalog catalog) {
    this.catalog = catalog;
    this.validator = new GraphValidator(catalog);
  }

  public ObjectNode write(Graph g) throws NotExportable {
    List<Node> missing = new ArrayList<>();
    for (Node n : g.nodeList()) {
      if (runs(n) && !exportable(n)) {
        missing.add(n);
      }
    }
    if (!missing.isEmpty()) {
      throw new NotExportable(missing);
    }
    ObjectNode prompt = F.objectNode();
    for (Node n : g.nodeList()) {
      if (runs(n)) {
        prompt.set(n.id().value(), entry(g, n));
      }
    }
    return prompt;
  }

  /** Whether the node is in the prompt at all: notes, reroutes and muted or bypassed nodes are not. */
  private static boolean runs(Node n) {
    return n.mode() == NodeMode.NORMAL && !n.type().equals("Reroute") && !n.type().equals("Note");
  }

  private boolean exportable(Node n) {
    if (catalog.schema(n.type()).isEmpty()) {
      return Placeholders.kept(n).get("api_inputs") instanceof Map<?, ?>;
    }
    return ComfyNodeMap.byOurType(n.type()).isPresent();
  }

  private ObjectNode entry(Graph g, Node n) {
    ObjectNode e = F.objectNode();
    ObjectNode inputs = F.objectNode();
    ObjectNode meta = F.objectNode();
    Optional<NodeSchema> schema = catalog.schema(n.type());
    String title;
    if (schema.isEmpty()) {
      Map<String, Object> kept = Placeholders.kept(n);
      e.put("class_type", String.valueOf(kept.get("type")));
      ((Map<?, ?>) kept.get("api_inputs")).forEach((k, v) -> inputs.set(String.valueOf(k), JsonValues.toJson(v)));
      for (Link l : g.linksInto(n.id())) {
        link(g, l, l.to().port(), inputs);
      }
      title = n.title() != null ? n.title() : String.valueOf(kept.get("type"));
    } else {
      ComfyNode spec = ComfyNodeMap.byOurType(n.type()).orElseThrow();
      e.put("class_type", spec.comfyType());
      Set<String> linked = new HashSet<>();
      for (Link l : g.linksInto(n.id())) {
        linked.add(l.to().port());
      }
      Map<String, Object> lossy = new LinkedHashMap<>();
      for (ComfyNode.Widget w : spec.widgets()) {
        if (!linked.contains(w.ourName())) {
          Optional<InputSpec> in = schema.get().input(w.ourName());
          Object v = in.map(i -> WidgetValues.effective(n, i)).orElse(n.widgets().get(w.ourName()));
          Object comfy = w.mapping().toComfy(v);
          inputs.set(w.comfyName(), JsonValues.toJson(comfy));
          Object back = w.mapping().toOurs(comfy);
          if (v != null && !NodeWidgets.sameValue(in.map(i -> NodeWidgets.coerce(i, back)).orElse(back), v)) {
            lossy.put(w.ourName(), v); // read back here as it was; ComfyUI ignores _meta
          }
        }
      }
      for (ComfyNode.Fixed f : spec.fixedWidgets()) {
        inputs.set(f.comfyName(), JsonValues.toJson(f.value()));
      }
      for (InputSpec in : schema.get().inputs()) {
        Object v = n.widgets().get(in.name());
        if (in.hasWidget() && spec.comfyInput(in.name()).isEmpty() && !linked.contains(in.name()) && v != null) {
          if (NodeWidgets.sameValue(NodeWidgets.coerce(in, v), in.defaultValue())) {
            lossy.put(in.name(), v); // set to its default: kept for us, not shown to ComfyUI
          } else {
            inputs.set(in.name(), JsonValues.toJson(v));
          }
        }
      }
      if (!lossy.isEmpty()) {
        meta.putObject("latentstudio").set("widgets", JsonValues.toJson(lossy));
      }
      for (Link l : g.linksInto(n.id())) {
        link(g, l, spec.comfyInput(l.to().port()).orElse(l.to().port()), inputs);
      }
      title = n.title() != null ? n.title() : spec.displayName();
    }
    e.set("inputs", inputs);
    meta.put("title", title);
    e.set("_meta", meta);
    return e;
  }

  private void link(Graph g, Link l, String name, ObjectNode inputs) {
    PortRef src = resolve(g, l.from());
    if (src == null) {
      return; // fed by a muted node: ComfyUI's front end drops the input too
    }
    Node from = g.require(src.node());
    inputs.set(name, F.arrayNode().add(src.node().value()).add(outputSlot(from, src.port())));
  }

  /** Follows reroutes and bypassed nodes back to a node that runs; null when the way ends at a muted node. */
  private PortRef resolve(Graph g, PortRef source) {
    PortType wanted = validator.outputType(g, source);
    Set<PortRef> seen = new HashSet<>();
    PortRef current = source;
    while (current != null && seen.add(current)) {
      Node n = g.node(current.node()).orElse(null);
      if (n == null || n.mode() == NodeMode.MUTED) {
        return null;
      }
      if (n.type().equals("Reroute")) {
        current = g.linkInto(new PortRef(n.id(), "input")).map(Link::from).orElse(null);
        continue;
      }
      if (n.mode() == NodeMode.NORMAL) {
        return current;
      }
      current = passThrough(g, n, wanted);
    }
    return null;
  }

  private PortRef passThrough(Graph g, Node bypassed, PortType wanted) {
    Optional<NodeSchema> schema = catalog.schema(bypassed.type());
    if (schema.isEmpty()) {
      return null;
    }
    for (InputSpec in : schema.get().inputs()) {
      Optional<Link> l = g.linkInto(new PortRef(bypassed.id(), in.name()));
      if (l.isPresent() && (in.type() == wanted || in.type() == PortType.ANY)) {
        return l.get().from();
      }
    }
    return null;
  }

  private int outputSlot(Node from, String port) {
    if (catalog.schema(from.type()).isEmpty()) {
      return port.startsWith("output_") ? Integer.parseInt(port.substring(7)) : 0;
    }
    int slot = ComfyNodeMap.byOurType(from.type()).map(s -> s.outputSlot(port)).orElse(-1);
    if (slot >= 0) {
      return slot;
    }
    List<String> outs = catalog.schema(from.type()).get().outputNames();
    return Math.max(0, outs.indexOf(port));
  }

}
