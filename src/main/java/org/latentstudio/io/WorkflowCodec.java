package org.latentstudio.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigInteger;
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
import org.latentstudio.image.PngText;

/**
 * Reads and writes workflow files. Older versions are migrated step by step on load; the output is canonical
 * (fixed field order, two-space indent, trailing newline) so that loading and saving gives the same bytes.
 */
public final class WorkflowCodec {
  public static final int CURRENT_VERSION = 2;
  private static final List<Migration> MIGRATIONS = List.of(new V1ToV2());
  /** Far above any real workflow; a larger file is something else, and reading it whole would only hurt. */
  static final long MAX_FILE_BYTES = 256L << 20;

  /** Strict reading: no coercion of one kind of value into another, no unknown fields, nothing after the end. */
  private final ObjectMapper mapper = strictMapper();
  private final ObjectWriter writer = mapper.writer(prettyPrinter());

  /**
   * Reads a workflow file, or the workflow inside a PNG picture the studio (or ComfyUI) saved; the content
   * decides which, not the name.
   */
  public Workflow read(Path file) throws WorkflowFormatException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new WorkflowFormatException(file + " is " + (Files.size(file) >> 20) + " MB, too large to be a "
            + "workflow; pick the workflow's .json file or a picture the studio saved");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new WorkflowFormatException("workflow file " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw new WorkflowFormatException("cannot read workflow file " + file + ": " + IoErrors.reason(e), e);
    }
    return read(bytes, file.toString());
  }

  /**
   * A workflow file's content: workflow JSON, or a PNG picture with the workflow inside.
   *
   * @param source how to name the input in messages (a file name)
   */
  public Workflow read(byte[] content, String source) throws WorkflowFormatException {
    if (!PngText.isPng(content)) {
      return parse(WorkflowText.decode(content, source), source);
    }
    Map<String, String> texts;
    try {
      texts = PngText.read(content);
    } catch (IOException e) {
      throw new WorkflowFormatException(source + " is not a readable PNG picture: " + IoErrors.reason(e), e);
    }
    String json = texts.get(PngText.WORKFLOW_KEY);
    if (json == null) {
      throw new WorkflowFormatException(source + " is a picture that has no workflow inside. Only pictures saved "
          + "by Latent Studio (or ComfyUI) carry the graph that made them.");
    }
    return parse(json, "the workflow inside " + source);
  }

  /**
   * A workflow file's bytes as text: UTF-8, strictly (a bad byte is reported with its line), a byte order mark
   * allowed, other well-known binary formats named for what they are.
   */
  public static String text(byte[] content, String source) throws WorkflowFormatException {
    return WorkflowText.decode(content, source);
  }

  /**
   * @param source how to name the input in messages (a file name, "the clipboard")
   */
  public Workflow parse(String json, String source) throws WorkflowFormatException {
    JsonNode tree;
    try {
      tree = mapper.readTree(WorkflowText.withoutByteOrderMark(json));
    } catch (JsonProcessingException e) {
      throw new WorkflowFormatException(JsonMessages.syntax(e, source), e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new WorkflowFormatException(source + " is empty. Restore it from a backup.");
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new WorkflowFormatException(source + " is not a Latent Studio workflow: expected a JSON object, found "
          + JsonMessages.describe(tree));
    }
    migrate(root, source);
    WorkflowDto dto;
    try {
      dto = mapper.treeToValue(root, WorkflowDto.class);
    } catch (JsonMappingException e) {
      throw new WorkflowFormatException(JsonMessages.content(e, root, source), e);
    } catch (JsonProcessingException e) {
      throw new WorkflowFormatException(JsonMessages.syntax(e, source), e);
    }
    if (dto.format() != null && !dto.format().equals(WorkflowDto.FORMAT)) {
      throw new WorkflowFormatException(source + " is not a Latent Studio workflow: its format is "
          + JsonMessages.quote(dto.format()) + ", not \"" + WorkflowDto.FORMAT + "\"");
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
    if (root.has("last_node_id") || root.has("last_link_id")) {
      throw new WorkflowFormatException(source + " looks like a ComfyUI workflow, which Latent Studio "
          + "cannot import yet. Rebuild the graph in the studio.");
    }
    JsonNode v = root.get("version");
    if (v == null || v.isNull()) {
      throw new WorkflowFormatException(source + " is not a Latent Studio workflow: it has no \"version\" field");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      String fix = v.isTextual() && v.textValue().strip().matches("\\d{1,9}")
          ? "; write it as a number: \"version\": " + v.textValue().strip()
          : "; it must be a whole number such as " + CURRENT_VERSION;
      throw new WorkflowFormatException(source + ": its \"version\" is " + JsonMessages.describe(v) + fix);
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
      String named = where + " ('" + n.id() + "')";
      Node node = new Node(NodeId.of(n.id()), n.type(), n.title(), widgets(n.widgets(), named),
          vec(n.pos(), Vec2.ZERO, named, "pos"), vec(n.size(), Node.DEFAULT_SIZE, named, "size"), mode);
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
      for (double d : b) {
        finite(d, source + ", group #" + i, "bounds");
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

  /**
   * Widget values are text, whole numbers (kept as Long), other numbers (Double) or true/false. Anything else is
   * a mistake in the file, reported here; whether the value fits its input is the validator's business.
   */
  private static Map<String, Object> widgets(Map<String, Object> raw, String where) throws WorkflowFormatException {
    Map<String, Object> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (var e : raw.entrySet()) {
      String field = where + ", widget '" + e.getKey() + "'";
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      out.put(e.getKey(), switch (v) {
        case String text -> text;
        case Boolean b -> b;
        case Integer n -> Long.valueOf(n);
        case Long n -> n;
        case BigInteger n -> throw new WorkflowFormatException(field + ": the number " + n + " is too large; "
            + "whole numbers go from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        case Double d -> finite(d, where, "widget '" + e.getKey() + "'");
        case Map<?, ?> m -> throw new WorkflowFormatException(field + ": expected a value (text, a number or "
            + "true/false), found an object");
        case List<?> l -> throw new WorkflowFormatException(field + ": expected a value (text, a number or "
            + "true/false), found a list");
        default -> throw new WorkflowFormatException(field + ": expected text, a number or true/false");
      });
    }
    return out;
  }

  /** JSON has no infinity, but a number such as 1e999 overflows to it. */
  private static double finite(double d, String where, String field) throws WorkflowFormatException {
    if (!Double.isFinite(d)) {
      throw new WorkflowFormatException(where + ", " + field + ": the number is too large (beyond "
          + Double.MAX_VALUE + ")");
    }
    return d;
  }

  private static Vec2 vec(double[] xy, Vec2 fallback, String where, String field) throws WorkflowFormatException {
    if (xy == null) {
      return fallback;
    }
    if (xy.length != 2) {
      throw new WorkflowFormatException(where + ": '" + field + "' must be [x, y]");
    }
    return new Vec2(finite(xy[0], where, field), finite(xy[1], where, field));
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

  private static ObjectMapper strictMapper() {
    ObjectMapper m = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    // "size": [320, "0"] and "title": 5 are mistakes to report, not values to convert
    m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    pp.indentObjectsWith(new DefaultIndenter("  ", "\n"));
    return pp;
  }
}
