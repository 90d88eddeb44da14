package org.latentstudio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCodecTest {
  private final WorkflowCodec codec = new WorkflowCodec();

  @TempDir
  Path dir;

  static Graph sample() {
    Node a = new Node(NodeId.of("a"), "PrimitiveInt", null, Map.of("value", 42L), new Vec2(10, 20.5),
        new Vec2(200, 80), NodeMode.NORMAL);
    Node m = new Node(NodeId.of("math"), "FloatMath", "Scale", Map.of("a", 1.5, "operation", "multiply"),
        new Vec2(300, 20), new Vec2(220, 120), NodeMode.BYPASSED);
    Node note = new Node(NodeId.of("note"), "Note", null, Map.of("text", "line one\nline \"two\" ✓"),
        new Vec2(0, 300), new Vec2(300, 100), NodeMode.MUTED);
    return Graph.empty().withNode(a).withNode(m).withNode(note)
        .withLink(Link.of("a", "INT", "math", "b"))
        .withGroups(List.of(new Group("Numbers", "#3f5f8a", new Rect(-10, -10, 600, 250))));
  }

  @Test
  void savingAndLoadingKeepsEverythingAndIsByteIdentical() throws Exception {
    Path file = dir.resolve("wf.json");
    codec.save(Workflow.of(sample()), file);
    byte[] first = Files.readAllBytes(file);

    Workflow loaded = codec.read(file);
    assertEquals(sample(), loaded.graph());
    codec.save(loaded, file);
    assertArrayEquals(first, Files.readAllBytes(file));
  }

  @Test
  void extraDataFromOtherToolsSurvivesASave() throws Exception {
    String json = codec.write(Workflow.of(sample())).replace("\"extra\": { }",
        "\"extra\": {\n    \"view\": {\n      \"zoom\": 1.25\n    }\n  }");
    Workflow wf = codec.parse(json, "test");
    assertEquals(1.25, wf.extra().get("view").get("zoom").asDouble());
    assertEquals(json, codec.write(wf));
  }

  @Test
  void versionOneFilesAreMigrated() throws Exception {
    String v1 = """
        {"version": 1,
         "nodes": [{"id": "a", "type": "PrimitiveInt", "mode": 4, "pos": [1, 2], "widgets": {"value": 7}},
                   {"id": "show", "type": "ShowValue", "mode": 0}],
         "links": [["a", "INT", "show", "value"]],
         "groups": []}
        """;
    Graph g = codec.parse(v1, "old.json").graph();
    assertEquals(NodeMode.BYPASSED, g.require(NodeId.of("a")).mode());
    assertEquals(7L, g.require(NodeId.of("a")).widgets().get("value"));
    assertEquals(List.of(Link.of("a", "INT", "show", "value")), g.links());
    assertTrue(codec.write(Workflow.of(g)).contains("\"version\": 2"));
  }

  @Test
  void corruptTruncatedAndForeignFilesGiveClearMessages() throws IOException {
    String good = codec.write(Workflow.of(sample()));
    assertMessage(good.substring(0, good.length() / 2), "ends too early", "truncated");
    assertMessage("{\"version\": 2, \"nodes\": [ }", "is not valid JSON (line 1", "restore it from a backup");
    assertMessage("", "is empty");
    assertMessage("[1, 2]", "expected a JSON object");
    assertMessage("{\"version\": 99, \"nodes\": []}", "newer Latent Studio (file version 99", "Update");
    assertMessage("{\"nodes\": []}", "has no \"version\" field");
    assertMessage("{\"last_node_id\": 9, \"nodes\": []}", "looks like a ComfyUI workflow");
    assertMessage("{\"version\": 2, \"nodes\": [{\"id\": \"a\", \"type\": \"T\"}, {\"id\": \"a\", \"type\": \"T\"}]}",
        "two nodes have the id 'a'");
    assertMessage("{\"version\": 2, \"nodes\": [{\"id\": \"a b\", \"type\": \"T\"}]}", "node #1", "invalid id");
    assertMessage("{\"version\": 2, \"links\": [{\"from\": \"a\", \"to\": \"b.x\"}]}", "link #1",
        "\"node.port\"");
    assertMessage("{\"version\": 2, \"nodes\": [{\"id\": \"a\", \"type\": \"T\", \"mode\": \"sleepy\"}]}",
        "unknown node mode 'sleepy'");
    assertMessage("{\"version\": 2, \"nodes\": [{\"id\": \"a\", \"type\": \"T\", \"pos\": \"left\"}]}",
        "node #1 ('a'), field 'pos': expected [x, y], found the text \"left\"");
  }

  private void assertMessage(String json, String... fragments) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    WorkflowFormatException e = assertThrows(WorkflowFormatException.class, () -> codec.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
  }

  @Test
  void missingFileIsNamed() {
    var e = assertThrows(WorkflowFormatException.class, () -> codec.read(dir.resolve("nope.json")));
    assertTrue(e.getMessage().contains("nope.json does not exist"));
  }

  @Test
  void aFailedSaveLeavesTheOldFileIntactAndNoTempFiles() throws Exception {
    Path file = dir.resolve("wf.json");
    codec.save(Workflow.of(sample()), file);
    byte[] before = Files.readAllBytes(file);
    assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write("{\"version\": 2, \"nodes\": [".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
