package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Vec2;
import org.testfx.util.WaitForAsyncUtils;

/** Building graphs with the mouse and keyboard: search, wires, refused wires, selection, pan and zoom. */
class CanvasEditingTest extends StudioTestBase {

  static Graph twoNumbers() {
    return Graph.empty()
        .withNode(DemoGraphs.node("num", "PrimitiveInt", 40, 40, 220, 0, Map.of("value", 5L)))
        .withNode(DemoGraphs.node("text", "PrimitiveString", 40, 220, 220, 0, Map.of("value", "hi")))
        .withNode(DemoGraphs.node("math", "IntMath", 420, 60, 240, 0, Map.of("a", 0L, "b", 1L, "operation", "add")));
  }

  @Test
  void spaceOpensTheSearchAndEnterAddsTheNodeAtThePointer() {
    load(Graph.empty());
    Point2D at = onCanvas(300, 250);
    robot.moveTo(at);
    robot.clickOn(at);
    robot.type(KeyCode.SPACE);
    waitUntil("the search box", () -> canvas().searchBox().isOpen());
    robot.write("flt mth");
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("FloatMath", fx(() -> canvas().searchBox().list().getItems().get(0).schema().typeId()));
    robot.type(KeyCode.ENTER);
    waitUntil("the node", () -> graph().nodes().size() == 1);
    Node n = graph().nodeList().iterator().next();
    assertEquals("FloatMath", n.type());
    Point2D expected = fx(() -> canvas().screenToWorld(new Point2D(300, 250)));
    assertEquals(expected.getX(), n.position().x(), 1);
    assertEquals(expected.getY(), n.position().y(), 1);
    assertTrue(fx(() -> canvas().selection().contains(n.id())), "the new node is selected");
    assertFalse(fx(() -> canvas().searchBox().isOpen()));
  }

  @Test
  void doubleClickOnEmptyCanvasOpensTheSearch() {
    load(Graph.empty());
    robot.doubleClickOn(onCanvas(400, 300));
    waitUntil("the search box", () -> canvas().searchBox().isOpen());
    robot.write("note");
    robot.type(KeyCode.ENTER);
    waitUntil("the note", () -> graph().nodes().size() == 1);
    assertEquals("Note", graph().nodeList().iterator().next().type());
  }

  @Test
  void draggingFromAnOutputToAnInputMakesAWire() {
    load(twoNumbers());
    robot.drag(port("num", "INT", false), MouseButton.PRIMARY).dropTo(port("math", "a", true));
    waitUntil("the link", () -> graph().links().contains(Link.of("num", "INT", "math", "a")));
    assertTrue(fx(() -> view("math").widget("a").isLinked()), "a linked widget shows its source");
  }

  @Test
  void anIncompatibleInputRefusesTheWireWithAVisibleCue() {
    load(twoNumbers());
    Point2D from = port("text", "STRING", false);
    Point2D to = port("math", "a", true);
    robot.drag(from, MouseButton.PRIMARY).moveTo(to);
    WaitForAsyncUtils.waitForFxEvents();
    // while hovering, the cue: a red wire, a crossed-out port and the reason by the pointer
    assertTrue(fx(() -> canvas().hintLabel().isVisible()), "the refusal shows while hovering");
    String hint = fx(() -> canvas().hintLabel().getText());
    assertTrue(hint.contains("STRING cannot go into INT"), hint);
    robot.drop();
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(graph().links().isEmpty(), "no link was made");
    assertTrue(fx(() -> canvas().lastRefusal()).contains("STRING cannot go into INT"));
    assertTrue(studio.statusText().contains("refused"), studio.statusText());
  }

  @Test
  void droppingAWireOnEmptyCanvasOffersOnlyNodesThatFitAndConnectsTheChoice() {
    load(twoNumbers());
    Point2D drop = emptySpot();
    robot.drag(port("text", "STRING", false), MouseButton.PRIMARY).dropTo(drop);
    waitUntil("the filtered search", () -> canvas().searchBox().isOpen());
    var offered = fx(() -> canvas().searchBox().list().getItems().stream().map(e -> e.schema().typeId()).toList());
    assertTrue(offered.contains("StringConcat"), offered.toString());
    assertFalse(offered.contains("PrimitiveInt"), "a node without a STRING input is not offered");
    robot.write("join");
    robot.type(KeyCode.ENTER);
    waitUntil("the new node", () -> graph().nodes().size() == 4);
    Node added = graph().nodeList().stream().filter(n -> n.type().equals("StringConcat")).findFirst().orElseThrow();
    assertTrue(graph().linkInto(new PortRef(added.id(), "a")).isPresent(), "the wire joins the new node");
    // one step undoes both the node and the wire
    robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
    waitUntil("undo", () -> graph().equals(twoNumbers()));
  }

  @Test
  void theWiresMiddleDotOpensItsMenuWhichDeletesTheLinkUndoably() {
    Graph wired = twoNumbers().withLink(Link.of("num", "INT", "math", "a"));
    load(wired);
    Point2D a = fx(() -> view("num").portPosition("INT", false));
    Point2D b = fx(() -> view("math").portPosition("a", true));
    // the curve is symmetric, so its middle is halfway between its ends
    robot.clickOn(world((a.getX() + b.getX()) / 2, (a.getY() + b.getY()) / 2));
    robot.clickOn("Delete link");
    waitUntil("the deleted link", () -> graph().links().isEmpty());
    robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
    waitUntil("undo", () -> graph().equals(wired));
  }

  @Test
  void pullingAWireOffAnInputMovesOrRemovesIt() {
    load(twoNumbers().withLink(Link.of("num", "INT", "math", "a")));
    robot.drag(port("math", "a", true), MouseButton.PRIMARY).dropTo(port("math", "b", true));
    waitUntil("the moved link", () -> graph().links().equals(java.util.List.of(Link.of("num", "INT", "math", "b"))));
    robot.drag(port("math", "b", true), MouseButton.PRIMARY).dropTo(emptySpot());
    waitUntil("the removed link", () -> graph().links().isEmpty());
  }

  @Test
  void clickShiftClickAndRubberBandSelect() {
    load(twoNumbers());
    robot.clickOn(title("num"));
    assertEquals(Set.of(id("num")), fx(() -> Set.copyOf(canvas().selection())));
    robot.press(KeyCode.SHIFT).clickOn(title("math")).release(KeyCode.SHIFT);
    assertEquals(Set.of(id("num"), id("math")), fx(() -> Set.copyOf(canvas().selection())));
    robot.press(KeyCode.SHIFT).clickOn(title("num")).release(KeyCode.SHIFT);
    assertEquals(Set.of(id("math")), fx(() -> Set.copyOf(canvas().selection())));
    robot.clickOn(emptySpot());
    assertTrue(fx(() -> canvas().selection().isEmpty()), "a click on empty canvas clears the selection");
    // a band around the two left nodes
    robot.drag(world(20, 20), MouseButton.PRIMARY).dropTo(world(300, 300));
    assertEquals(Set.of(id("num"), id("text")), fx(() -> Set.copyOf(canvas().selection())));
  }

  @Test
  void dragMovesTheWholeSelectionInOneUndoStep() {
    load(twoNumbers());
    robot.clickOn(title("num"));
    robot.press(KeyCode.SHIFT).clickOn(title("text")).release(KeyCode.SHIFT);
    Point2D start = title("num");
    robot.drag(start, MouseButton.PRIMARY).dropTo(start.add(100, 50));
    waitUntil("the move", () -> graph().require(id("num")).position().x() > 100);
    Vec2 num = graph().require(id("num")).position();
    Vec2 text = graph().require(id("text")).position();
    assertEquals(140, num.x(), 2);
    assertEquals(90, num.y(), 2);
    assertEquals(140, text.x(), 2);
    assertEquals(1, fx(() -> studio.document().history().undoSize()));
    robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
    waitUntil("undo", () -> graph().equals(twoNumbers()));
  }

  @Test
  void middleDragPansAndTheWheelZoomsAroundThePointer() {
    load(twoNumbers());
    Point2D before = fx(() -> canvas().panOffset());
    Point2D spot = emptySpot();
    robot.drag(spot, MouseButton.MIDDLE).dropTo(spot.add(-60, -30));
    Point2D after = fx(() -> canvas().panOffset());
    assertEquals(-60, after.getX() - before.getX(), 1);
    assertEquals(-30, after.getY() - before.getY(), 1);
    Point2D pointer = new Point2D(300, 200);
    Point2D worldBefore = fx(() -> canvas().screenToWorld(pointer));
    robot.moveTo(onCanvas(300, 200));
    robot.scroll(3, javafx.geometry.VerticalDirection.UP);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(fx(() -> canvas().zoom()) != 1.0, "the wheel zooms");
    Point2D worldAfter = fx(() -> canvas().screenToWorld(pointer));
    assertEquals(worldBefore.getX(), worldAfter.getX(), 0.5);
    assertEquals(worldBefore.getY(), worldAfter.getY(), 0.5);
    fx(() -> canvas().fitToView());
    Point2D c = fx(() -> canvas().worldToScreen(new Point2D(350, 140)));
    assertTrue(c.getX() > 0 && c.getX() < fx(() -> canvas().getWidth()), "fit to view shows the graph");
  }

  @Test
  void spaceDragPans() {
    load(twoNumbers());
    Point2D spot = emptySpot();
    robot.clickOn(spot);
    Point2D before = fx(() -> canvas().panOffset());
    robot.press(KeyCode.SPACE);
    robot.drag(spot, MouseButton.PRIMARY).dropTo(spot.add(-40, -20));
    robot.release(KeyCode.SPACE);
    WaitForAsyncUtils.waitForFxEvents();
    Point2D after = fx(() -> canvas().panOffset());
    assertEquals(-40, after.getX() - before.getX(), 1);
    assertFalse(fx(() -> canvas().searchBox().isOpen()), "a pan with Space does not open the search");
  }

  @Test
  void doubleClickOnAWireInsertsAReroute() {
    load(twoNumbers().withLink(Link.of("num", "INT", "math", "a")));
    Point2D a = fx(() -> view("num").portPosition("INT", false));
    Point2D b = fx(() -> view("math").portPosition("a", true));
    // a quarter along the wire (its middle dot opens the wire's menu instead)
    Point2D quarter = fx(() -> {
      double dx = Math.max(40, Math.abs(b.getX() - a.getX()) * 0.5);
      double t = 0.25;
      double u = 1 - t;
      double x = u * u * u * a.getX() + 3 * u * u * t * (a.getX() + dx) + 3 * u * t * t * (b.getX() - dx)
          + t * t * t * b.getX();
      double y = u * u * u * a.getY() + 3 * u * u * t * a.getY() + 3 * u * t * t * b.getY() + t * t * t * b.getY();
      return new Point2D(x, y);
    });
    robot.doubleClickOn(world(quarter.getX(), quarter.getY()));
    waitUntil("the reroute", () -> graph().nodes().size() == 4);
    Node dot = graph().nodeList().stream().filter(n -> n.type().equals("Reroute")).findFirst().orElseThrow();
    assertTrue(graph().links().contains(new Link(PortRef.of("num", "INT"), new PortRef(dot.id(), "input"))));
    assertTrue(graph().links().contains(new Link(new PortRef(dot.id(), "output"), PortRef.of("math", "a"))));
    assertNotNull(view(dot.id().value()));
  }

  @Test
  void aNodeOfAnUnknownTypeShowsAsMissingKeepsItsWiresAndIsReported() {
    Graph g = twoNumbers()
        .withNode(DemoGraphs.node("alien", "FancyUpscaler", 420, 300, 240, 0, Map.of("factor", 2L)))
        .withNode(DemoGraphs.node("show", "ShowValue", 720, 300, 220, 0, Map.of()))
        .withLink(Link.of("num", "INT", "alien", "factor"))
        .withLink(Link.of("alien", "IMAGE", "show", "value"));
    load(g);
    assertTrue(fx(() -> view("alien").isMissing()));
    assertTrue(fx(() -> view("alien").getPseudoClassStates().toString()).contains("missing"));
    assertEquals("Unknown: FancyUpscaler", fx(() -> view("alien").node().titleOr("Unknown: FancyUpscaler")));
    // its wire still ends on it
    Point2D end = fx(() -> view("alien").portPosition("factor", true));
    assertEquals(420, end.getX(), 1e-9);
    fx(() -> studio.run());
    waitUntil("the refusal", () -> studio.runs().entries().get(0).isFinished());
    assertTrue(fx(() -> view("alien").errorMessage()).contains("unknown node type 'FancyUpscaler'"));
    // saving keeps it as it was: nothing is lost by opening a workflow from a newer studio
    assertEquals(g, graph());
  }
}
