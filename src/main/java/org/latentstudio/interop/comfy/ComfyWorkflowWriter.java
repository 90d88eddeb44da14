package org.latentstudio.interop.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.io.Workflow;

/**
 * Writes a workflow as a ComfyUI UI workflow (version 0.4, links as arrays), which ComfyUI opens as it is. Node
 * ids that are numbers stay; others get the next free numbers and keep their own id in the node's properties,
 * as do the values ComfyUI has no widget for (the sampler's eta) and values it would read differently, so reading
 * the file back here gives the same graph. Our node types that ComfyUI lacks are written under their own type
 * names, which ComfyUI shows as missing nodes.
 */
public final class ComfyWorkflowWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final NodeCatalog catalog;
  private final GraphValidator validator;

  public ComfyWorkflowWriter(NodeCatalog catalog) {
    this.catalog = catalog;
    this.validator = new GraphValidator(catalog);
  }

  /** A port as the file lists it: its ComfyUI name and type, and our port it stands for. */
  private record Port(String name, String type, String ours, String widget) {}

  /** A node's ports in ComfyUI's order. */
  private record Ports(List<Port> inputs, List<Port> outputs) {
    int inputSlot(String ours) {
      for (int i = 0; i < inputs.size(); i++) {
        if (inputs.get(i).ours().equals(ours)) {
          return i;
        }
      }
      return -1;
    }

    int outputSlot(String ours) {
      for (int i = 0; i < outputs.size(); i++) {
        if (outputs.get(i).ours().equals(ours)) {
          return i;
        }
      }
      return -1;
    }
  }

  public ObjectNode write(Workflow workflow) {
    Graph g = workflow.graph();
    Map<NodeId, Long> ids = comfyIds(g);
    Map<NodeId, Ports> ports = new HashMap<>();
    for (Node n : g.nodeList()) {
      ports.put(n.id(), ports(g, n));
    }
    Map<PortRef, Long> linkInto = new HashMap<>();
    Map<PortRef, List<Long>> linksFrom = new LinkedHashMap<>();
    ArrayNode links = F.arrayNode();
    long linkId = 0;
    for (Link l : g.links()) {
      Ports from = ports.get(l.from().node());
      Ports to = ports.get(l.to().node());
      if (from == null || to == null || from.outputSlot(l.from().port()) < 0 || to.inputSlot(l.to().port()) < 0) {
        continue; // a link to a port that does not exist: validation reports it here, ComfyUI could not show it
      }
      linkId++;
      linkInto.put(l.to(), linkId);
      linksFrom.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(linkId);
      links.add(F.arrayNode().add(linkId).add(ids.get(l.from().node())).add(from.outputSlot(l.from().port()))
          .add(ids.get(l.to().node())).add(to.inputSlot(l.to().port()))
          .add(from.outputs().get(from.outputSlot(l.from().port())).type()));
    }

    ArrayNode nodes = F.arrayNode();
    int order = 0;
    for (Node n : g.nodeList()) {
      nodes.add(node(g, n, ids.get(n.id()), ports.get(n.id()), linkInto, linksFrom, order++));
    }
    ArrayNode groups = F.arrayNode();
    for (Group gr : g.groups()) {
      ObjectNode o = groups.addObject();
      o.put("title", gr.title());
      o.set("bounding", F.arrayNode().add(gr.bounds().x()).add(gr.bounds().y()).add(gr.bounds().width())
          .add(gr.bounds().height()));
      o.put("color", gr.color());
      o.put("font_size", 24);
      o.putObject("flags");
    }
    ObjectNode root = F.objectNode();
    root.put("last_node_id", ids.values().stream().mapToLong(Long::longValue).max().orElse(0));
    root.put("last_link_id", linkId);
    root.set("nodes", nodes);
    root.set("links", links);
    root.set("groups", groups);
    root.putObject("config");
    ObjectNode extra = root.putObject("extra");
    extra.putObject("ds").put("scale", 1.0).set("offset", F.arrayNode().add(0.0).add(0.0));
    if (!workflow.extra().isEmpty()) {
      extra.set("latentstudio", workflow.extra());
    }
    root.put("version", 0.4);
    return root;
  }

  /** Number ids stay; the others get the next free numbers in graph order. */
  private static Map<NodeId, Long> comfyIds(Graph g) {
    Map<NodeId, Long> ids = new LinkedHashMap<>();
    Set<Long> used = new HashSet<>();
    for (NodeId id : g.nodes().keySet()) {
      if (isNumber(id.value()) && used.add(Long.parseLong(id.value()))) {
        ids.put(id, Long.parseLong(id.value()));
      }
    }
    long next = used.stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    for (NodeId id : g.nodes().keySet()) {
      if (!ids.containsKey(id)) {
        ids.put(id, next++);
      }
    }
    return ids;
  }

  static boolean isNumber(String s) {
    return s.matches("[1-9][0-9]{0,8}");
  }

  private Ports ports(Graph g, Node n) {
    List<Port> in = new ArrayList<>();
    List<Port> out = new ArrayList<>();
    Set<String> linked = new HashSet<>();
    for (Link l : g.linksInto(n.id())) {
      linked.add(l.to().port());
    }
    Optional<ComfyNode> spec = ComfyNodeMap.byOurType(n.type());
    Optional<NodeSchema> schema = catalog.schema(n.type());
    if (n.type().equals("Reroute")) {
      in.add(new Port("", "*", "input", null));
      out.add(new Port("", ComfyTypes.name(validator.outputType(g, new PortRef(n.id(), "output"))), "output", null));
    } else if (spec.isPresent() && schema.isPresent()) {
      for (ComfyNode.Slot s : spec.get().slots()) {
        if (s instanceof ComfyNode.Link l) {
          in.add(new Port(l.comfyName(), l.comfyTypeName(), l.ourName(), null));
        }
      }
      for (ComfyNode.Widget w : spec.get().widgets()) {
        if (linked.contains(w.ourName())) {
          in.add(new Port(w.comfyName(), w.comfyTypeName(), w.ourName(), w.comfyName()));
        }
      }
      for (InputSpec s : schema.get().inputs()) {
        if (linked.contains(s.name()) && spec.get().comfyInput(s.name()).isEmpty()) {
          in.add(new Port(s.name(), ComfyTypes.name(s.type()), s.name(), s.hasWidget() ? s.name() : null));
        }
      }
      for (ComfyNode.Output o : spec.get().outputs()) {
        out.add(new Port(o.comfyTypeName(), o.comfyTypeName(), o.ourName(), null));
      }
    } else if (schema.isPresent()) {
      for (InputSpec s : schema.get().inputs()) {
        if (!s.hasWidget() || linked.contains(s.name())) {
          in.add(new Port(s.name(), ComfyTypes.name(s.type()), s.name(), s.hasWidget() ? s.name() : null));
        }
      }
      for (OutputSpec o : schema.get().outputs()) {
        out.add(new Port(o.name(), ComfyTypes.name(validator.outputType(g, new PortRef(n.id(), o.name()))), o.name(),
            null));
      }
    } else {
      placeholderPorts(g, n, in, out);
    }
    return new Ports(in, out);
  }

  /** A placeholder's ports: those of the ComfyUI node it was read from, else those its links use. */
  private static void placeholderPorts(Graph g, Node n, List<Port> in, List<Port> out) {
    Map<String, Object> kept = Placeholders.kept(n);
    JsonNode stored = JsonValues.toJson(kept);
    if (stored.path("inputs").isArray()) {
      for (int i = 0; i < stored.get("inputs").size(); i++) {
        JsonNode p = stored.get("inputs").get(i);
        in.add(new Port(p.path("name").asText(), p.path("type").asText("*"),
            ComfyWorkflowReader.placeholderPortName(stored.get("inputs"), i, "input_"),
            p.hasNonNull("widget") ? p.get("widget").asText() : null));
      }
      for (int i = 0; i < stored.path("outputs").size(); i++) {
        JsonNode p = stored.get("outputs").get(i);
        out.add(new Port(p.path("name").asText(), p.path("type").asText("*"),
            ComfyWorkflowReader.placeholderPortName(stored.get("outputs"), i, "output_"), null));
      }
      return;
    }
    for (Link l : g.linksInto(n.id())) {
      in.add(new Port(l.to().port(), "*", l.to().port(), null));
    }
    int max = -1;
    for (Link l : g.linksFrom(n.id())) {
      String p = l.from().port();
      if (p.startsWith("output_") && p.substring(7).matches("[0-9]{1,3}")) {
        max = Math.max(max, Integer.parseInt(p.substring(7)));
      }
    }
    for (int i = 0; i <= max; i++) {
      out.add(new Port("output_" + i, "*", "output_" + i, null));
    }
  }

  private ObjectNode node(Graph g, Node n, long id, Ports ports, Map<PortRef, Long> linkInto,
      Map<PortRef, List<Long>> linksFrom, int order) {
    Optional<ComfyNode> spec = ComfyNodeMap.byOurType(n.type());
    Optional<NodeSchema> schema = catalog.schema(n.type());
    boolean placeholder = schema.isEmpty();
    String type = n.type().equals("Reroute") ? "Reroute"
        : placeholder ? String.valueOf(Placeholders.kept(n).getOrDefault("type", n.type()))
        : spec.map(ComfyNode::comfyType).orElse(n.type());
    ObjectNode o = F.objectNode();
    o.put("id", id);
    o.put("type", type);
    o.set("pos", F.arrayNode().add(n.position().x()).add(n.position().y() + ComfyWorkflowReader.TITLE_HEIGHT));
    o.set("size", F.arrayNode().add(n.size().x()).add(n.size().y() - ComfyWorkflowReader.TITLE_HEIGHT));
    o.putObject("flags");
    o.put("order", order);
    o.put("mode", switch (n.mode()) {
      case NORMAL -> 0;
      case MUTED -> 2;
      case BYPASSED -> 4;
    });
    ArrayNode inputs = o.putArray("inputs");
    for (Port p : ports.inputs()) {
      ObjectNode in = inputs.addObject();
      in.put("name", p.name());
      in.put("type", p.type());
      if (p.widget() != null) {
        in.putObject("widget").put("name", p.widget());
      }
      Long link = linkInto.get(new PortRef(n.id(), p.ours()));
      if (link == null) {
        in.putNull("link");
      } else {
        in.put("link", link);
      }
    }
    ArrayNode outputs = o.putArray("outputs");
    for (int i = 0; i < ports.outputs().size(); i++) {
      Port p = ports.outputs().get(i);
      ObjectNode out = outputs.addObject();
      out.put("name", p.name());
      out.put("type", p.type());
      ArrayNode ls = out.putArray("links");
      linksFrom.getOrDefault(new PortRef(n.id(), p.ours()), List.of()).forEach(ls::add);
      out.put("slot_index", i);
    }
    if (n.title() != null) {
      o.put("title", n.title());
    }
    ObjectNode props = o.putObject("properties");
    Map<String, Object> stored = new LinkedHashMap<>();
    ArrayNode values = F.arrayNode();
    if (n.type().equals("Reroute")) {
      props.put("showOutputText", false).put("horizontal", false);
    } else if (placeholder) {
      Map<String, Object> kept = Placeholders.kept(n);
      if (kept.get("properties") instanceof Map<?, ?> m) {
        props.setAll((ObjectNode) JsonValues.toJson(m));
      }
      if (kept.containsKey("widgets_values")) {
        o.set("widgets_values", JsonValues.toJson(kept.get("widgets_values")));
      } else if (kept.get("api_inputs") instanceof Map<?, ?> m) {
        m.values().forEach(v -> values.add(JsonValues.toJson(v)));
        o.set("widgets_values", values);
      }
    } else if (spec.isPresent()) {
      props.put("Node name for S&R", type);
      widgetValues(n, spec.get(), schema.get(), values, stored);
      o.set("widgets_values", values);
    } else {
      props.put("Node name for S&R", type);
      for (InputSpec s : schema.get().inputs()) {
        if (s.hasWidget()) {
          values.add(JsonValues.toJson(WidgetValues.effective(n, s)));
        }
      }
      stored.putAll(n.widgets());
      o.set("widgets_values", values);
    }
    if (!stored.isEmpty() || !isNumber(n.id().value()) || !String.valueOf(id).equals(n.id().value())) {
      ObjectNode ours = props.putObject("latentstudio");
      if (!String.valueOf(id).equals(n.id().value())) {
        ours.put("id", n.id().value());
      }
      if (!stored.isEmpty()) {
        ours.set("widgets", JsonValues.toJson(stored));
      }
    }
    return o;
  }

  /**
   * ComfyUI's positional widget values; what ComfyUI has no widget for, or would read as another value, goes to
   * {@code stored}.
   */
  private static void widgetValues(Node n, ComfyNode spec, NodeSchema schema, ArrayNode values,
      Map<String, Object> stored) {
    Set<String> covered = new HashSet<>();
    for (ComfyNode.Slot s : spec.slots()) {
      if (s instanceof ComfyNode.Widget w) {
        InputSpec in = schema.input(w.ourName()).orElse(null);
        Object ours = in == null ? n.widgets().get(w.ourName()) : WidgetValues.effective(n, in);
        Object comfy = w.mapping().toComfy(ours);
        values.add(JsonValues.toJson(comfy));
        covered.add(w.ourName());
        Object back = in == null ? w.mapping().toOurs(comfy) : NodeWidgets.coerce(in, w.mapping().toOurs(comfy));
        if (ours != null && !NodeWidgets.sameValue(back, ours)) {
          stored.put(w.ourName(), ours);
        }
        if (w.controlAfterGenerate()) {
          String key = w.ourName() + NodeWidgets.AFTER_RUN;
          values.add(String.valueOf(n.widgets().getOrDefault(key, NodeWidgets.DEFAULT_CONTROL)));
          covered.add(key);
        }
      } else if (s instanceof ComfyNode.FrontEndWidget fw) {
        values.add(JsonValues.toJson(fw.value()));
      } else if (s instanceof ComfyNode.Fixed f) {
        values.add(JsonValues.toJson(f.value()));
      }
    }
    for (var e : n.widgets().entrySet()) {
      if (!covered.contains(e.getKey())) {
        stored.put(e.getKey(), e.getValue());
      }
    }
  }
}
