package org.latentstudio.ui;

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

/** Graphs for UI tests and the review pictures, made of built-in and stand-in node types. */
public final class DemoGraphs {
  private DemoGraphs() {}

  static Node node(String id, String type, double x, double y, double w, double h, Map<String, Object> widgets) {
    return new Node(NodeId.of(id), type, null, widgets, new Vec2(x, y), new Vec2(w, h), NodeMode.NORMAL);
  }

  /** A loader, sampler and save chain, some arithmetic, a note, a reroute, a group. */
  public static Graph sample() {
    Graph g = Graph.empty()
        .withNode(node("loader", "TestCheckpointLoader", 40, 60, 260, 0, Map.of("ckpt_name", "shapes")))
        .withNode(node("sampler", "TestSampler", 360, 40, 280, 0,
            Map.of("seed", 42L, "steps", 12L, "step_ms", 10L, "cfg", 7.5, "sampler_name", "euler")))
        .withNode(node("save", "TestSaveImage", 720, 60, 240, 0, Map.of("filename_prefix", "latent")))
        .withNode(node("width", "PrimitiveInt", 40, 330, 220, 0, Map.of("value", 512L)))
        .withNode(node("math", "IntMath", 360, 330, 260, 0, Map.of("b", 2L, "operation", "multiply")))
        .withNode(node("show", "ShowValue", 720, 340, 220, 0, Map.of()))
        .withNode(node("note", "Note", 40, 470, 300, 110,
            Map.of("text", "Drag from a port to wire.\nSpace or double-click searches nodes.")))
        .withNode(node("cat", "StringConcat", 720, 470, 260, 0, Map.of("a", "a photo of ", "b", "a red cube")))
        .withLink(Link.of("loader", "MODEL", "sampler", "model"))
        .withLink(Link.of("sampler", "IMAGE", "save", "images"))
        .withLink(Link.of("width", "INT", "math", "a"))
        .withLink(Link.of("math", "INT", "show", "value"));
    return g.withGroups(List.of(new Group("Generate", "#3f5f8a", new Rect(20, 0, 960, 290)),
        new Group("Numbers", "#3f7a4f", new Rect(20, 300, 960, 150))));
  }
}
