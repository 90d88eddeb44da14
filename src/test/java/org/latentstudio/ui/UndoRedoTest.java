package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Rect;
import org.latentstudio.ui.widgets.WidgetView;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every kind of edit made with the mouse and keyboard is one undo step, and Ctrl+Z / Ctrl+Shift+Z walk back
 * and forth through exactly the graphs the user saw.
 */
class UndoRedoTest extends StudioTestBase {

  private final List<Graph> states = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private void step(String name, Runnable gesture) {
    int before = fx(() -> studio.document().history().undoSize());
    Graph g0 = graph();
    gesture.run();
    waitUntil(name + " to change the graph", () -> !studio.document().graph().equals(g0));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(before + 1, fx(() -> studio.document().history().undoSize()), name + " is one undo step");
    states.add(graph());
    names.add(name);
  }

  private Point2D widget(String node, String input, double fractionX) {
    return fx(() -> {
      WidgetView w = canvas().view(id(node)).widget(input);
      Bounds b = w.localToScreen(w.getBoundsInLocal());
      return new Point2D(b.getMinX() + b.getWidth() * fractionX, b.getMinY() + b.getHeight() / 2);
    });
  }

  private void ctrl(KeyCode key) {
    robot.press(KeyCode.CONTROL).type(key).release(KeyCode.CONTROL);
  }

  private void undo() {
    ctrl(KeyCode.Z);
  }

  private void redo() {
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
  }

  @Test
  void everyEditKindUndoesAndRedoesInOneStep() {
    load(CanvasEditingTest.twoNumbers());
    states.add(graph());
    names.add("start");

    step("add a node from the search", () -> {
      robot.moveTo(emptySpot().add(-200, -100));
      robot.clickOn(emptySpot().add(-200, -100));
      robot.type(KeyCode.SPACE);
      waitUntil("search", () -> canvas().searchBox().isOpen());
      robot.write("show value");
      robot.type(KeyCode.ENTER);
    });
    step("move a node", () -> robot.drag(title("text"), MouseButton.PRIMARY).dropTo(title("text").add(30, 60)));
    step("connect", () -> robot.drag(port("num", "INT", false), MouseButton.PRIMARY).dropTo(port("math", "a", true)));
    step("drag a number", () -> robot.drag(widget("math", "b", 0.5), MouseButton.PRIMARY)
        .moveBy(20, 0).moveBy(20, 0).dropBy(20, 0));
    step("type a number", () -> {
      robot.clickOn(widget("num", "value", 0.5));
      waitUntil("the editor", () -> canvas().view(id("num")).widget("value").isEditing());
      robot.write("7*3");
      robot.type(KeyCode.ENTER);
    });
    assertEquals(21L, graph().require(id("num")).widgets().get("value"));
    step("choose from a list", () -> {
      robot.clickOn(widget("math", "operation", 0.5));
      robot.clickOn("multiply");
    });
    assertEquals("multiply", graph().require(id("math")).widgets().get("operation"));
    step("type text", () -> {
      robot.clickOn(widget("text", "value", 0.5));
      robot.write("!");
      robot.type(KeyCode.ESCAPE); // a multi-line text takes Enter as a new line
    });
    assertEquals("hi!", graph().require(id("text")).widgets().get("value"));
    step("rename", () -> {
      robot.doubleClickOn(title("math"));
      waitUntil("the title editor", () -> robot.lookup("#inline-editor").tryQuery().isPresent());
      robot.write("Scale");
      robot.type(KeyCode.ENTER);
    });
    assertEquals("Scale", graph().require(id("math")).title());
    step("mute", () -> {
      robot.clickOn(title("text"));
      ctrl(KeyCode.M);
    });
    assertEquals(NodeMode.MUTED, graph().require(id("text")).mode());
    step("bypass", () -> {
      robot.clickOn(title("math"));
      ctrl(KeyCode.B);
    });
    assertEquals(NodeMode.BYPASSED, graph().require(id("math")).mode());
    step("group", () -> ctrl(KeyCode.G));
    assertEquals(1, graph().groups().size());
    step("move the group", () -> {
      Rect r = graph().groups().get(0).bounds();
      Point2D t = world(r.x() + 40, r.y() + 12);
      robot.drag(t, MouseButton.PRIMARY).dropTo(t.add(50, 40));
    });
    step("resize a node", () -> {
      Point2D grip = fx(() -> {
        var v = canvas().view(id("num"));
        return canvas().localToScreen(canvas().worldToScreen(
            new Point2D(v.getLayoutX() + v.nodeWidth() - 4, v.getLayoutY() + v.nodeHeight() - 4)));
      });
      robot.drag(grip, MouseButton.PRIMARY).dropBy(60, 0);
    });
    step("paste", () -> {
      robot.clickOn(title("num"));
      ctrl(KeyCode.C);
      robot.moveTo(emptySpot().add(-150, -60));
      ctrl(KeyCode.V);
    });
    step("disconnect", () -> robot.drag(port("math", "a", true), MouseButton.PRIMARY).dropTo(emptySpot()));
    step("delete", () -> {
      robot.clickOn(title("text"));
      robot.type(KeyCode.DELETE);
    });

    // back to the start, one step at a time, through exactly the same graphs
    for (int i = states.size() - 2; i >= 0; i--) {
      undo();
      int k = i;
      waitUntil("undo of " + names.get(i + 1), () -> studio.document().graph().equals(states.get(k)));
    }
    assertTrue(fx(() -> !studio.document().canUndoProperty().get()));
    for (int i = 1; i < states.size(); i++) {
      redo();
      int k = i;
      waitUntil("redo of " + names.get(i), () -> studio.document().graph().equals(states.get(k)));
    }
  }

  @Test
  void copyPutsWorkflowJsonOnTheClipboardAndPasteAddsInOneStep() {
    load(CanvasEditingTest.twoNumbers().withLink(Link.of("num", "INT", "math", "a")));
    robot.drag(world(20, 20), MouseButton.PRIMARY).dropTo(world(700, 200)); // num and math
    assertEquals(Set.of(id("num"), id("math")), fx(() -> Set.copyOf(canvas().selection())));
    ctrl(KeyCode.C);
    String json = fx(() -> Clipboard.getSystemClipboard().getString());
    assertTrue(json.contains("\"format\": \"latentstudio-workflow\""), json);
    assertTrue(json.contains("\"from\": \"num.INT\""), "the wire between them is copied");
    robot.moveTo(emptySpot().add(-300, -100));
    ctrl(KeyCode.V);
    waitUntil("the pasted nodes", () -> studio.document().graph().nodes().size() == 5);
    Graph g = graph();
    assertTrue(g.links().contains(Link.of("num_2", "INT", "math_2", "a")), g.links().toString());
    assertEquals(Set.of(id("num_2"), id("math_2")), fx(() -> Set.copyOf(canvas().selection())));
    undo();
    waitUntil("one undo removes the paste", () -> studio.document().graph().nodes().size() == 3);

    // cut, then paste from text that a text editor could have produced
    robot.clickOn(title("text"));
    ctrl(KeyCode.X);
    waitUntil("cut", () -> studio.document().graph().nodes().size() == 2);
    String cut = fx(() -> Clipboard.getSystemClipboard().getString());
    fx(() -> {
      var c = new javafx.scene.input.ClipboardContent();
      c.putString(cut.replace("\"hi\"", "\"edited in a text editor\""));
      Clipboard.getSystemClipboard().setContent(c);
    });
    ctrl(KeyCode.V);
    waitUntil("paste", () -> studio.document().graph().nodes().size() == 3);
    Node pasted = graph().nodeList().stream().filter(n -> n.type().equals("PrimitiveString")).findFirst().orElseThrow();
    assertEquals("edited in a text editor", pasted.widgets().get("value"));
  }

  @Test
  void movingAGroupMovesItsNodesAndUndoesInOneStep() {
    Graph g = CanvasEditingTest.twoNumbers().withGroups(List.of(
        new org.latentstudio.graph.Group("Inputs", "#3f7a4f", new Rect(20, 0, 280, 400))));
    load(g);
    Point2D t = world(100, 12);
    robot.drag(t, MouseButton.PRIMARY).dropTo(t.add(200, 100));
    waitUntil("the move", () -> !studio.document().graph().equals(g));
    Graph moved = graph();
    assertEquals(new Rect(220, 100, 280, 400), moved.groups().get(0).bounds());
    assertEquals(240, moved.require(id("num")).position().x(), 1);
    assertEquals(240, moved.require(id("text")).position().x(), 1);
    assertEquals(g.require(id("math")).position(), moved.require(id("math")).position(), "outside the group");
    assertEquals(1, fx(() -> studio.document().history().undoSize()));
    undo();
    waitUntil("undo", () -> studio.document().graph().equals(g));
  }

  @Test
  void bulkDeleteIsOneStep() {
    load(CanvasEditingTest.twoNumbers().withLink(Link.of("num", "INT", "math", "a")));
    ctrl(KeyCode.A);
    robot.type(KeyCode.DELETE);
    waitUntil("delete", () -> studio.document().graph().nodes().isEmpty());
    undo();
    waitUntil("undo", () -> studio.document().graph().nodes().size() == 3);
    assertEquals(1, graph().links().size());
  }

  @Test
  void draggingANumberIsOneStepAndShiftMakesItFine() {
    load(Graph.empty().withNode(DemoGraphs.node("s", "TestSampler", 40, 40, 280, 0,
        Map.of("cfg", 7.0, "steps", 10L))));
    robot.drag(widget("s", "cfg", 0.5), MouseButton.PRIMARY).moveBy(10, 0).moveBy(10, 0).dropBy(10, 0);
    waitUntil("a change", () -> !studio.document().graph().require(id("s")).widgets().get("cfg").equals(7.0));
    double cfg = (Double) graph().require(id("s")).widgets().get("cfg");
    assertTrue(cfg > 7.0 && cfg <= 30, "the slider moved up: " + cfg);
    assertEquals(0, Math.IEEEremainder(cfg, 0.5), 1e-9, "values snap to the step");
    assertEquals(1, fx(() -> studio.document().history().undoSize()));
    robot.clickOn(widget("s", "steps", 0.97)); // the right arrow steps once
    waitUntil("step", () -> Long.valueOf(11).equals(studio.document().graph().require(id("s")).widgets().get("steps")));
    assertNotEquals(7.0, cfg);
  }
}
