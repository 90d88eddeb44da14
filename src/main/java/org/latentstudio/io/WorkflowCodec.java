package org.latentstudio.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;

/**
 * Reads and writes workflow files. Older versions are migrated step by step on load; the output is canonical
 * (fixed field order, two-space indent, trailing newline) so that loading and saving gives the same bytes.
 */
public final class WorkflowCodec {
  public static final int CURRENT_VERSION = 2;
  private static final List<Migration> MIGRATIONS = List.of(new V1ToV2());

  private final ObjectMapper mapper = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final ObjectWriter writer = mapper.writer(prettyPrinter());

  public Workflow read(Path file) throws WorkflowFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new WorkflowFormatException("workflow file " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw new WorkflowFormatException("cannot read workflow file " + file + ": " + e.getMessage(), e);
    }
    return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * @param source how to name the input in messages (a file name, "the clipboard")
   */
  public Workflow parse(String json, String source) throws WorkflowFormatException {
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      if (!(e instanceof JsonEOFException) && !String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
        throw new WorkflowFormatException(source + " is not valid JSON" + where(e) + ": " + e.getOriginalMessage()
            + ". The file is corrupt; restore it from a backup or from the studio's recovery file.", e);
      }
      throw new WorkflowFormatException(source + " ends too early: the file is truncated or was not saved "
          + "completely. Restore it from a backup or from the studio's recovery file.", e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new WorkflowFormatException(source + " is empty. Restore it from a backup.");
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new WorkflowFormatException(source + " is not a Latent Studio workflow: expected a JSON object");
    }
    migrate(root, source);
    WorkflowDto dto;
    try {
      dto = mapper.treeToValue(root, WorkflowDto.class);
    } catch (JsonProcessingException e) {
      throw new WorkflowFormatException(source + " has a malformed field: " + e.getOriginalMessage(), e);
    }
    return new Workflow(toGraph(dto, source), dto.extra());
  }

  public String write(Workflow workflow) {
    try {
      return writer.writeValueAsString(toDto(workflow)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a graph always serialises", e);
    }
  }

  /** Saves atomically: a crash during the save leaves the previous file intact. */
  public void save(Workflow workflow, Path file) throws IOException {
    AtomicFiles.write(file, write(workflow).getBytes(StandardCharsets.UTF_8));
  }

  private void migrate(ObjectNode root, String source) throws WorkflowFormatException {
    JsonNode v = root.get("version");
    if (v == null || !v.canConvertToInt()) {
      if (root.has("last_node_id") || root.has("last_link_id")) {
        throw new WorkflowFormatException(source + " looks like a ComfyUI workflow, which Latent Studio "
            + "cannot import yet. Rebuild the graph in the studio.");
      }
      throw new WorkflowFormatException(source + " is not a Latent Studio workflow: it has no \"version\" field");
    }
    int version = v.asInt();
    if (version > CURRENT_VERSION) {
      throw new WorkflowFormatException(source + " was written by a newer Latent Studio (file version " + version
          + ", this one reads up to " + CURRENT_VERSION + "). Update Latent Studio to open it.");
    }
    if (version < 1) {
      throw new WorkflowFormatException(source + " has an invalid version " + version + "; versions start at 1");
    }
    for (Migration m : MIGRATIONS) {
      if (m.from() == version) {
        m.apply(root);
        version++;
        root.put("version", version);
      }
    }
  }

  private static Graph toGraph(WorkflowDto dto, String source) throws WorkflowFormatException {
    Map<NodeId, Node> nodes = new LinkedHashMap<>();
    int i = 0;
    for (WorkflowDto.NodeDto n : nullToEmpty(dto.nodes())) {
      i++;
      String where = source + ", node #" + i;
      if (n.id() == null || !NodeId.isValid(n.id())) {
        throw new WorkflowFormatException(where + ": missing or invalid id '" + n.id()
            + "'; ids use letters, digits, '_' and '-'");
      }
      if (n.type() == null || n.type().isBlank()) {
        throw new WorkflowFormatException(where + " ('" + n.id() + "') has no type");
      }
      NodeMode mode;
      try {
        mode = n.mode() == null ? NodeMode.NORMAL : NodeMode.fromFileName(n.mode());
      } catch (IllegalArgumentException e) {
        throw new WorkflowFormatException(where + " ('" + n.id() + "'): " + e.getMessage());
      }
      Node node = new Node(NodeId.of(n.id()), n.type(), n.title(), widgets(n.widgets()),
          vec(n.pos(), Vec2.ZERO, where, "pos"), vec(n.size(), Node.DEFAULT_SIZE, where, "size"), mode);
      if (nodes.put(node.id(), node) != null) {
        throw new WorkflowFormatException(source + ": two nodes have the id '" + n.id() + "'; ids must be unique");
      }
    }
    List<Link> links = new ArrayList<>();
    Set<PortRef> targets = new HashSet<>();
    i = 0;
    for (WorkflowDto.LinkDto l : nullToEmpty(dto.links())) {
      i++;
      Link link = new Link(portRef(l.from(), source, i, "from"), portRef(l.to(), source, i, "to"));
      if (!targets.add(link.to())) {
        throw new WorkflowFormatException(source + ", link #" + i + ": input " + link.to()
            + " is fed by two links; an input takes one");
      }
      links.add(link);
    }
    List<Group> groups = new ArrayList<>();
    i = 0;
    for (WorkflowDto.GroupDto g : nullToEmpty(dto.groups())) {
      i++;
      double[] b = g.bounds();
      if (b == null || b.length != 4) {
        throw new WorkflowFormatException(source + ", group #" + i + ": bounds must be [x, y, width, height]");
      }
      groups.add(new Group(g.title() == null ? "" : g.title(), g.color() == null ? "#3f5f8a" : g.color(),
          new Rect(b[0], b[1], b[2], b[3])));
    }
    return new Graph(nodes, links, groups);
  }

  private static WorkflowDto toDto(Workflow workflow) {
    Graph g = workflow.graph();
    List<WorkflowDto.NodeDto> nodes = g.nodeList().stream()
        .map(n -> new WorkflowDto.NodeDto(n.id().value(), n.type(), n.title(), n.mode().fileName(),
            new double[] {n.position().x(), n.position().y()}, new double[] {n.size().x(), n.size().y()},
            n.widgets()))
        .toList();
    List<WorkflowDto.LinkDto> links = g.links().stream()
        .map(l -> new WorkflowDto.LinkDto(l.from().toString(), l.to().toString()))
        .toList();
    List<WorkflowDto.GroupDto> groups = g.groups().stream()
        .map(gr -> new WorkflowDto.GroupDto(gr.title(), gr.color(),
            new double[] {gr.bounds().x(), gr.bounds().y(), gr.bounds().width(), gr.bounds().height()}))
        .toList();
    return new WorkflowDto(WorkflowDto.FORMAT, CURRENT_VERSION, nodes, links, groups, workflow.extra());
  }

  private static Map<String, Object> widgets(Map<String, Object> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((k, v) -> {
        if (v != null) {
          out.put(k, v instanceof Integer n ? Long.valueOf(n) : v);
        }
      });
    }
    return out;
  }

  private static Vec2 vec(double[] xy, Vec2 fallback, String where, String field) throws WorkflowFormatException {
    if (xy == null) {
      return fallback;
    }
    if (xy.length != 2) {
      throw new WorkflowFormatException(where + ": '" + field + "' must be [x, y]");
    }
    return new Vec2(xy[0], xy[1]);
  }

  private static PortRef portRef(String text, String source, int index, String end) throws WorkflowFormatException {
    int dot = text == null ? -1 : text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1 || !NodeId.isValid(text.substring(0, dot))) {
      throw new WorkflowFormatException(source + ", link #" + index + ": '" + end + "' must look like "
          + "\"node.port\" but is " + (text == null ? "missing" : "'" + text + "'"));
    }
    return PortRef.of(text.substring(0, dot), text.substring(dot + 1));
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String where(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    pp.indentObjectsWith(new DefaultIndenter("  ", "\n"));
    return pp;
  }
}
