package org.latentstudio.interop.comfy;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Problem;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowFormatException;

/**
 * Reads ComfyUI's UI workflow (what its Save writes and its PNGs carry in the "workflow" chunk): version 0.4 with
 * links as {@code [id, from_node, from_slot, to_node, to_slot, type]} and version 1 with links as objects, the
 * front end's native reroutes (link waypoints, which become Reroute nodes here), Reroute, Note and MarkdownNote
 * nodes, PrimitiveNode, groups and node modes. Node ids stay ComfyUI's ("3"), so {@code --set 3.seed=5} works.
 *
 * <p>A node type we do not have loads as a placeholder with its ComfyUI type, its ports and its values kept
 * under the widget {@value #PLACEHOLDER_KEY}, so it shows on the canvas, the run refuses to start naming it, and
 * writing the workflow back gives ComfyUI the node it had.
 */
public final class ComfyWorkflowReader {
  /** The widget under which a placeholder keeps the ComfyUI node it stands for. */
  public static final String PLACEHOLDER_KEY = "comfy";
  /** LiteGraph draws the title bar above a node's position; here the title is inside the node's box. */
  static final double TITLE_HEIGHT = 30;
  static final String DEFAULT_GROUP_COLOR = "#3f789e";

  private final NodeCatalog catalog;
  private final ModelNames models;

  public ComfyWorkflowReader(NodeCatalog catalog, ModelNames models) {
    this.catalog = catalog;
    this.models = models;
  }

  /** Whether the tree looks like a ComfyUI UI workflow: a node list whose nodes have a type and a number id. */
  public static boolean looks(JsonNode root) {
    JsonNode nodes = root.path("nodes");
    if (!root.isObject() || !nodes.isArray() || root.has("format")) {
      return false;
    }
    if (root.has("last_node_id") || root.has("last_link_id") || root.path("state").has("lastNodeId")) {
      return true;
    }
    JsonNode first = nodes.path(0);
    return nodes.isEmpty() ? root.path("links").isArray() : first.has("type") && first.path("id").isNumber();
  }

  private record LinkRow(long id, String from, int fromSlot, String to, int toSlot, String type, Long parent) {}

  /** What the reader knows about each ComfyUI node while it resolves links. */
  private record Read(String comfyId, NodeId id, String comfyType, ComfyNode spec, JsonNode json, String primitiveOut) {}

  public Imported read(JsonNode root, String source) throws WorkflowFormatException {
    List<Problem> notes = new ArrayList<>();
    Map<String, Read> byComfyId = new LinkedHashMap<>();
    Map<NodeId, Node> nodes = new LinkedHashMap<>();
    Set<String> usedIds = new HashSet<>();
    int index = 0;
    for (JsonNode n : root.path("nodes")) {
      index++;
      String comfyId = JsonValues.id(n.get("id"));
      String type = n.path("type").asText("");
      if (comfyId == null || type.isEmpty()) {
        throw new WorkflowFormatException(source + ", node #" + index + ": a ComfyUI node needs an \"id\" and a "
            + "\"type\"; the file is damaged. Open it in ComfyUI and save it again.");
      }
      if (byComfyId.containsKey(comfyId)) {
        throw new WorkflowFormatException(source + ": two nodes have the id " + comfyId + "; the file is damaged");
      }
      NodeId id = uniqueId(n.path("properties").path("latentstudio").path("id").asText(null), comfyId, usedIds);
      Read r = readNode(n, comfyId, id, type, notes);
      byComfyId.put(comfyId, r);
      nodes.put(id, toNode(r, n, notes));
    }

    List<LinkRow> rows = links(root.path("links"), linkParents(root), source);
    Map<Long, JsonNode> reroutes = nativeReroutes(root);
    List<Link> links = new ArrayList<>();
    Set<PortRef> fed = new HashSet<>();
    for (LinkRow row : rows) {
      Read from = byComfyId.get(row.from);
      Read to = byComfyId.get(row.to);
      if (from == null || to == null) {
        notes.add(new Problem(Problem.Kind.NO_SUCH_NODE, to == null ? null : to.id, to == null ? null : to.comfyType,
            null, "link " + row.id + " joins node " + row.from + " to node " + row.to + ", but node "
                + (from == null ? row.from : row.to) + " is not in the file; the link was left out",
            "connect the input again"));
        continue;
      }
      PortRef out = new PortRef(from.id, outputName(from, row.fromSlot));
      PortRef in = new PortRef(to.id, inputName(to, row.toSlot));
      List<Long> chain = rerouteChain(row.parent, reroutes);
      PortRef source0 = out;
      for (Long rid : chain) {
        NodeId rerouteId = rerouteNode(rid, reroutes.get(rid), nodes, usedIds);
        PortRef rin = new PortRef(rerouteId, "input");
        if (fed.add(rin)) {
          links.add(new Link(source0, rin));
        }
        source0 = new PortRef(rerouteId, "output");
      }
      if (!fed.add(in)) {
        notes.add(new Problem(Problem.Kind.BAD_VALUE, to.id, to.comfyType, "input '" + in.port() + "'",
            "is fed by two links in the file; link " + row.id + " was left out", "check the wire into it"));
        continue;
      }
      links.add(new Link(source0, in));
    }

    List<Group> groups = new ArrayList<>();
    for (JsonNode g : root.path("groups")) {
      JsonNode b = g.path("bounding");
      if (!b.isArray() || b.size() < 4) {
        continue;
      }
      groups.add(new Group(g.path("title").asText(""), g.path("color").asText(DEFAULT_GROUP_COLOR),
          new Rect(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble())));
    }
    JsonNode ours = root.path("extra").path("latentstudio");
    ObjectNode extra = ours.isObject() ? ((ObjectNode) ours).deepCopy() : JsonNodeFactory.instance.objectNode();
    return new Imported(new Workflow(new Graph(nodes, links, groups), extra), notes, Imported.Format.UI_WORKFLOW,
        Map.of());
  }

  private Read readNode(JsonNode n, String comfyId, NodeId id, String type, List<Problem> notes) {
    if (type.equals("Reroute")) {
      return new Read(comfyId, id, type, null, n, null);
    }
    if (type.equals("PrimitiveNode")) {
      String outType = n.path("outputs").path(0).path("type").asText("*");
      String ours = switch (outType) {
        case "INT" -> "PrimitiveInt";
        case "FLOAT" -> "PrimitiveFloat";
        case "BOOLEAN" -> "PrimitiveBoolean";
        case "STRING", "COMBO" -> "PrimitiveString";
        default -> null;
      };
      if (ours != null) {
        return new Read(comfyId, id, type, ComfyNodeMap.byOurType(ours).orElseThrow(), n, ours);
      }
    }
    Optional<ComfyNode> spec = ComfyNodeMap.byComfyType(type);
    if (spec.isPresent() && catalog.schema(spec.get().ourType()).isPresent()) {
      return new Read(comfyId, id, type, spec.get(), n, null);
    }
    return new Read(comfyId, id, type, null, n, null);
  }

  private Node toNode(Read r, JsonNode n, List<Problem> notes) {
    String title = n.hasNonNull("title") ? n.get("title").asText() : null;
    double[] pos = JsonValues.pair(n.get("pos"));
    double[] size = JsonValues.pair(n.get("size"));
    Vec2 position = pos == null ? Vec2.ZERO : new Vec2(pos[0], pos[1] - TITLE_HEIGHT);
    Vec2 dims = size == null ? Node.DEFAULT_SIZE : new Vec2(size[0], size[1] + TITLE_HEIGHT);
    NodeMode mode = mode(n, r, notes);
    if (r.comfyType.equals("Reroute")) {
      return new Node(r.id, "Reroute", title, Map.of(), position, dims, mode);
    }
    JsonNode props = n.path("properties").path("latentstudio");
    Map<String, Object> stored = props.path("widgets").isObject()
        ? castMap(JsonValues.toJava(props.get("widgets"))) : Map.of();
    if (r.spec == null) {
      Optional<NodeSchema> own = catalog.schema(r.comfyType);
      if (own.isPresent() && props.isObject()) {
        // one of our node types that ComfyUI does not have, written by this studio: its values are all stored
        return new Node(r.id, r.comfyType, title, stored, position, dims, mode);
      }
      return new Node(r.id, r.comfyType, title, Map.of(PLACEHOLDER_KEY, placeholder(n)), position, dims, mode);
    }
    NodeSchema schema = catalog.schema(r.spec.ourType()).orElseThrow();
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> controls = new HashMap<>();
    JsonNode wv = n.get("widgets_values");
    if (r.primitiveOut != null) {
      // the front end's PrimitiveNode: [value, control after generate (numbers), filter (lists)]
      if (wv != null && wv.isArray() && wv.size() > 0) {
        values.put("value", JsonValues.toJava(wv.get(0)));
        if (r.primitiveOut.equals("PrimitiveInt") && wv.size() > 1) {
          controls.put("value", JsonValues.toJava(wv.get(1)));
        }
      }
    } else if (wv != null && wv.isArray()) {
      int i = 0;
      for (ComfyNode.Slot s : r.spec.slots()) {
        if (s instanceof ComfyNode.Widget w) {
          if (i < wv.size()) {
            values.put(w.comfyName(), JsonValues.toJava(wv.get(i)));
          }
          i++;
          if (w.controlAfterGenerate()) {
            if (i < wv.size() && wv.get(i).isTextual() && isControl(wv.get(i).asText())) {
              controls.put(w.ourName(), wv.get(i).asText());
              i++;
            }
          }
        } else if (s instanceof ComfyNode.FrontEndWidget || s instanceof ComfyNode.Fixed) {
          i++;
        }
      }
    } else if (wv != null && wv.isObject()) {
      wv.fields().forEachRemaining(e -> values.put(e.getKey(), JsonValues.toJava(e.getValue())));
    }
    Map<String, Object> widgets = NodeWidgets.build(r.spec, schema, values, controls, stored);
    checkModel(r, widgets, notes);
    return new Node(r.id, schema.typeId(), title, widgets, position, dims, mode);
  }

  private static boolean isControl(String s) {
    return s.equals("fixed") || s.equals("increment") || s.equals("decrement") || s.equals("randomize")
        || s.equals("increment-wrap");
  }

  private void checkModel(Read r, Map<String, Object> widgets, List<Problem> notes) {
    if (models != null && r.spec.ourType().equals("CheckpointLoader")) {
      models.checkCheckpoint(preferModel(widgets)).ifPresent(msg -> notes.add(new Problem(
          Problem.Kind.MODEL, r.id, "CheckpointLoader", "input 'path'", msg,
          null)));
    }
  }

  private static NodeMode mode(JsonNode n, Read r, List<Problem> notes) {
    int m = n.path("mode").asInt(0);
    return switch (m) {
      case 0 -> NodeMode.NORMAL;
      case 2 -> NodeMode.MUTED;
      case 4 -> NodeMode.BYPASSED;
      default -> {
        notes.add(new Problem(Problem.Kind.BAD_VALUE, r.id, r.comfyType, null, "has LiteGraph mode " + m
            + " (on event / on trigger), which ComfyUI runs as a normal node; it loads as normal", ""));
        yield NodeMode.NORMAL;
      }
    };
  }

  /** The ComfyUI node a placeholder stands for, less what the graph itself holds (place, size, mode, links). */
  private static Map<String, Object> placeholder(JsonNode n) {
    Map<String, Object> kept = new LinkedHashMap<>();
    kept.put("type", n.path("type").asText());
    List<Object> ins = new ArrayList<>();
    for (JsonNode in : n.path("inputs")) {
      Map<String, Object> port = new LinkedHashMap<>();
      port.put("name", in.path("name").asText(""));
      port.put("type", in.path("type").asText("*"));
      if (in.path("widget").has("name")) {
        port.put("widget", in.path("widget").path("name").asText());
      }
      ins.add(port);
    }
    List<Object> outs = new ArrayList<>();
    for (JsonNode out : n.path("outputs")) {
      Map<String, Object> port = new LinkedHashMap<>();
      port.put("name", out.path("name").asText(""));
      port.put("type", out.path("type").asText("*"));
      outs.add(port);
    }
    kept.put("inputs", ins);
    kept.put("outputs", outs);
    if (n.has("widgets_values")) {
      kept.put("widgets_values", JsonValues.toJava(n.get("widgets_values")));
    }
    if (n.path("properties").isObject() && !n.path("properties").isEmpty()) {
      kept.put("properties", JsonValues.toJava(n.get("properties")));
    }
    return kept;
  }

  private String outputName(Read from, int slot) {
    if (from.comfyType.equals("Reroute")) {
      return "output";
    }
    if (from.spec != null) {
      if (slot >= 0 && slot < from.spec.outputs().size()) {
        return from.spec.outputs().get(slot).ourName();
      }
      return "output_" + slot;
    }
    if (from.json != null && catalog.schema(from.comfyType).isPresent()) {
      List<String> outs = catalog.schema(from.comfyType).get().outputNames();
      return slot >= 0 && slot < outs.size() ? outs.get(slot) : "output_" + slot;
    }
    return placeholderPortName(from.json.path("outputs"), slot, "output_");
  }

  private String inputName(Read to, int slot) {
    if (to.comfyType.equals("Reroute")) {
      return "input";
    }
    JsonNode in = to.json.path("inputs").path(slot);
    String name = in.path("widget").path("name").asText(in.path("name").asText("input_" + slot));
    if (to.spec != null) {
      return to.spec.ourInput(name).orElse(name);
    }
    if (catalog.schema(to.comfyType).isPresent()) {
      return name;
    }
    return placeholderPortName(to.json.path("inputs"), slot, "input_");
  }

  /** A placeholder's port names: ComfyUI's, made unique and usable here. */
  static String placeholderPortName(JsonNode ports, int slot, String fallback) {
    Map<String, Integer> seen = new HashMap<>();
    String name = fallback + slot;
    for (int i = 0; i < ports.size() && i <= slot; i++) {
      JsonNode p = ports.get(i);
      String base = p.path("widget").path("name").asText(p.path("name").asText(""));
      if (base.isEmpty()) {
        base = fallback + i;
      }
      int count = seen.merge(base, 1, Integer::sum);
      name = count == 1 ? base : base + "_" + count;
    }
    return name;
  }

  /** Version 0.4 keeps each link's last native reroute in extra.linkExtensions. */
  private static Map<Long, Long> linkParents(JsonNode root) {
    Map<Long, Long> out = new HashMap<>();
    for (JsonNode e : root.path("extra").path("linkExtensions")) {
      if (e.hasNonNull("parentId")) {
        out.put(e.path("id").asLong(), e.get("parentId").asLong());
      }
    }
    return out;
  }

  private static List<LinkRow> links(JsonNode links, Map<Long, Long> parents, String source)
      throws WorkflowFormatException {
    List<LinkRow> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode l : links) {
      i++;
      if (l.isArray() && l.size() >= 5) {
        rows.add(new LinkRow(l.get(0).asLong(), JsonValues.id(l.get(1)), l.get(2).asInt(), JsonValues.id(l.get(3)),
            l.get(4).asInt(), l.path(5).asText("*"), parents.get(l.get(0).asLong())));
      } else if (l.isObject() && l.has("origin_id") && l.has("target_id")) {
        rows.add(new LinkRow(l.path("id").asLong(), JsonValues.id(l.get("origin_id")), l.path("origin_slot").asInt(),
            JsonValues.id(l.get("target_id")), l.path("target_slot").asInt(), l.path("type").asText("*"),
            l.hasNonNull("parentId") ? l.get("parentId").asLong() : null));
      } else if (!l.isNull()) {
        throw new WorkflowFormatException(source + ", link #" + i + ": expected [id, from_node, from_slot, to_node, "
            + "to_slot, type] or an object with origin_id and target_id; the file is damaged");
      }
    }
    return rows;
  }

  /**
   * The front end's native reroutes (version 1: top-level "reroutes"; version 0.4: extra.reroutes, with each
   * link's last reroute in extra.linkExtensions), by id.
   */
  private static Map<Long, JsonNode> nativeReroutes(JsonNode root) {
    Map<Long, JsonNode> out = new HashMap<>();
    JsonNode list = root.has("reroutes") ? root.get("reroutes") : root.path("extra").path("reroutes");
    for (JsonNode r : list) {
      out.put(r.path("id").asLong(), r);
    }
    return out;
  }

  private List<Long> rerouteChain(Long parent, Map<Long, JsonNode> reroutes) {
    List<Long> chain = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Long p = parent; p != null && reroutes.containsKey(p) && seen.add(p); ) {
      chain.add(0, p);
      JsonNode r = reroutes.get(p);
      p = r.hasNonNull("parentId") ? r.get("parentId").asLong() : null;
    }
    return chain;
  }

  private static NodeId rerouteNode(long rid, JsonNode r, Map<NodeId, Node> nodes, Set<String> usedIds) {
    NodeId id = NodeId.of("reroute_" + rid);
    if (!nodes.containsKey(id)) {
      id = uniqueId(null, "reroute_" + rid, usedIds);
      double[] p = JsonValues.pair(r.get("pos"));
      Vec2 center = p == null ? Vec2.ZERO : new Vec2(p[0], p[1]);
      nodes.put(id, new Node(id, "Reroute", null, Map.of(),
          new Vec2(center.x() - 24, center.y() - 11), new Vec2(48, 22), NodeMode.NORMAL));
    }
    return id;
  }

  private static NodeId uniqueId(String wanted, String comfyId, Set<String> used) {
    String base = wanted != null && NodeId.isValid(wanted) ? wanted : comfyId.replaceAll("[^A-Za-z0-9_\\-]", "_");
    String candidate = base;
    for (int i = 2; !used.add(candidate); i++) {
      candidate = base + "_" + i;
    }
    return NodeId.of(candidate);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Puts the checkpoint name the models folders know (with or without its extension) in the widgets. */
  private String preferModel(Map<String, Object> widgets) {
    String name = models.preferred(String.valueOf(widgets.get("path")));
    widgets.put("path", name);
    return name;
  }
}
