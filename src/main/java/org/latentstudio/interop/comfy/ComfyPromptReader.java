package org.latentstudio.interop.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Problem;
import org.latentstudio.graph.Vec2;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowFormatException;

/**
 * Reads ComfyUI's API format, the "prompt" that {@code POST /prompt} takes, "Export (API)" writes and PNGs carry
 * in the "prompt" chunk: {@code {id: {class_type, inputs: {name: value | [node_id, slot]}, _meta: {title}}}}.
 * It has no positions, so the nodes are laid out in columns by their distance from the loaders.
 */
public final class ComfyPromptReader {
  private final NodeCatalog catalog;
  private final ModelNames models;

  public ComfyPromptReader(NodeCatalog catalog, ModelNames models) {
    this.catalog = catalog;
    this.models = models;
  }

  /** The prompt inside a tree: the tree itself, or its "prompt" field ({@code POST /prompt}'s body). */
  public static Optional<JsonNode> promptOf(JsonNode root) {
    if (root == null || !root.isObject() || root.isEmpty()) {
      return Optional.empty();
    }
    if (root.path("prompt").isObject() && isPrompt(root.get("prompt"))) {
      return Optional.of(root.get("prompt"));
    }
    return isPrompt(root) ? Optional.of(root) : Optional.empty();
  }

  private static boolean isPrompt(JsonNode n) {
    if (n.isEmpty()) {
      return false;
    }
    for (JsonNode v : n) {
      if (!v.isObject() || !v.has("class_type")) {
        return false;
      }
    }
    return true;
  }

  /** The parts of one prompt entry the reader needs. */
  private record Entry(String comfyId, NodeId id, String classType, ComfyNode spec, JsonNode inputs, String title,
      JsonNode stored) {}

  public Imported read(JsonNode prompt, String source) throws WorkflowFormatException {
    List<Problem> notes = new ArrayList<>();
    Map<String, Entry> entries = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    var fields = prompt.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      JsonNode body = f.getValue();
      String classType = body.path("class_type").asText("");
      if (!body.isObject() || classType.isEmpty()) {
        throw new WorkflowFormatException(source + ": node '" + f.getKey() + "' has no class_type. Each node of a "
            + "ComfyUI API prompt is {\"class_type\": ..., \"inputs\": {...}}");
      }
      if (!body.path("inputs").isObject() && body.has("inputs")) {
        throw new WorkflowFormatException(source + ": the inputs of node '" + f.getKey() + "' (" + classType
            + ") must be an object of name: value or [node_id, output_slot]");
      }
      ComfyNode spec = ComfyNodeMap.byComfyType(classType)
          .filter(s -> catalog.schema(s.ourType()).isPresent()).orElse(null);
      String title = body.path("_meta").path("title").asText(null);
      String standard = spec == null ? classType : spec.displayName();
      entries.put(f.getKey(), new Entry(f.getKey(), uniqueId(f.getKey(), used), classType, spec, body.path("inputs"),
          title == null || title.equals(standard) || title.equals(classType) ? null : title,
          body.path("_meta").path("latentstudio").path("widgets")));
    }

    Map<NodeId, Node> nodes = new LinkedHashMap<>();
    List<Link> links = new ArrayList<>();
    for (Entry e : entries.values()) {
      Map<String, Object> literals = new LinkedHashMap<>();
      var inputs = e.inputs.fields();
      while (inputs.hasNext()) {
        var in = inputs.next();
        JsonNode v = in.getValue();
        if (isLink(v)) {
          String fromId = JsonValues.id(v.get(0));
          Entry from = entries.get(fromId);
          String inputName = e.spec != null ? e.spec.ourInput(in.getKey()).orElse(in.getKey()) : in.getKey();
          if (from == null) {
            notes.add(new Problem(Problem.Kind.NO_SUCH_NODE, e.id, e.classType, "input '" + inputName + "'",
                "is linked to node '" + fromId + "', which is not in the prompt", "link it to an existing node"));
            continue;
          }
          links.add(new Link(new PortRef(from.id, outputName(from, v.get(1).asInt())), new PortRef(e.id, inputName)));
        } else {
          JsonNode value = v.isObject() && v.has("__value__") ? v.get("__value__") : v;
          literals.put(in.getKey(), JsonValues.toJava(value));
        }
      }
      nodes.put(e.id, toNode(e, literals, notes));
    }
    Graph g = AutoLayout.arrange(new Graph(nodes, links, List.of()));
    Map<NodeId, String> renamed = new HashMap<>();
    for (Entry e : entries.values()) {
      if (!e.id.value().equals(e.comfyId)) {
        renamed.put(e.id, e.comfyId);
      }
    }
    return new Imported(Workflow.of(g), notes, Imported.Format.API_PROMPT, renamed);
  }

  private Node toNode(Entry e, Map<String, Object> literals, List<Problem> notes) {
    String title = e.title;
    Optional<NodeSchema> own = e.spec == null ? catalog.schema(e.classType) : Optional.empty();
    if (own.isPresent()) {
      // one of our own types by its id, which ComfyUI lacks but our server runs: values by our input names
      Map<String, Object> widgets = new LinkedHashMap<>();
      for (var l : literals.entrySet()) {
        Optional<InputSpec> in = own.get().input(l.getKey());
        widgets.put(l.getKey(), in.isPresent() ? NodeWidgets.coerce(in.get(), l.getValue()) : l.getValue());
      }
      return new Node(e.id, e.classType, title, widgets, Vec2.ZERO, Node.DEFAULT_SIZE, NodeMode.NORMAL);
    }
    if (e.spec == null) {
      Map<String, Object> kept = new LinkedHashMap<>();
      kept.put("type", e.classType);
      kept.put("api_inputs", literals);
      return new Node(e.id, e.classType, title, Map.of(ComfyWorkflowReader.PLACEHOLDER_KEY, kept), Vec2.ZERO,
          Node.DEFAULT_SIZE, NodeMode.NORMAL);
    }
    NodeSchema schema = catalog.schema(e.spec.ourType()).orElseThrow();
    Map<String, Object> stored = new HashMap<>();
    if (e.stored.isObject()) {
      e.stored.fields().forEachRemaining(f -> stored.put(f.getKey(), JsonValues.toJava(f.getValue())));
    }
    for (var l : literals.entrySet()) {
      // inputs ComfyUI lacks, written here under our names (the sampler's eta)
      if (e.spec.ourInput(l.getKey()).isEmpty() && schema.input(l.getKey()).map(InputSpec::hasWidget).orElse(false)) {
        stored.put(l.getKey(), l.getValue());
      }
    }
    Map<String, Object> widgets = NodeWidgets.build(e.spec, schema, literals, Map.of(), stored);
    if (models != null && e.spec.ourType().equals("CheckpointLoader")) {
      models.checkCheckpoint(preferModel(widgets)).ifPresent(msg -> notes.add(new Problem(
          Problem.Kind.MODEL, e.id, "CheckpointLoader", "input 'path'", msg,
          null)));
    }
    return new Node(e.id, schema.typeId(), title, widgets, Vec2.ZERO, Node.DEFAULT_SIZE, NodeMode.NORMAL);
  }

  private String outputName(Entry from, int slot) {
    if (from.spec != null && slot >= 0 && slot < from.spec.outputs().size()) {
      return from.spec.outputs().get(slot).ourName();
    }
    List<String> own = from.spec == null ? catalog.schema(from.classType).map(NodeSchema::outputNames).orElse(List.of())
        : List.of();
    if (slot >= 0 && slot < own.size()) {
      return own.get(slot);
    }
    return "output_" + slot;
  }

  /** A link is a two-element list: a node id (text or number) and an output slot number. */
  static boolean isLink(JsonNode v) {
    return v.isArray() && v.size() == 2 && (v.get(0).isTextual() || v.get(0).isIntegralNumber())
        && v.get(1).isIntegralNumber();
  }

  private static NodeId uniqueId(String comfyId, Set<String> used) {
    String base = comfyId.replaceAll("[^A-Za-z0-9_\\-]", "_");
    if (base.isEmpty()) {
      base = "node";
    }
    String candidate = base;
    for (int i = 2; !used.add(candidate); i++) {
      candidate = base + "_" + i;
    }
    return NodeId.of(candidate);
  }

  /** Puts the checkpoint name the models folders know (with or without its extension) in the widgets. */
  private String preferModel(Map<String, Object> widgets) {
    String name = models.preferred(String.valueOf(widgets.get("path")));
    widgets.put("path", name);
    return name;
  }
}
