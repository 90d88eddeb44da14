package org.latentstudio.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;

/** Every kind of edit changes the graph, and undo gives back an equal graph. */
class CommandsTest {
  static Graph sample() {
    return Graph.empty()
        .withNode(Node.of("a", "PrimitiveInt").withWidget("value", 3L).withPosition(new Vec2(0, 0)))
        .withNode(Node.of("b", "IntMath").withPosition(new Vec2(300, 0)))
        .withNode(Node.of("show", "ShowValue").withPosition(new Vec2(600, 0)))
        .withLink(Link.of("a", "INT", "b", "a"))
        .withLink(Link.of("b", "INT", "show", "value"))
        .withGroups(List.of(new Group("Numbers", "#3f5f8a", new Rect(-20, -40, 560, 200))));
  }

  static Stream<Command> everyKind() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    return Stream.of(
        AddNodes.one(Node.of("c", "PrimitiveFloat")),
        RemoveItems.nodes(Set.of(a, b)),
        new RemoveItems(Set.of(), Set.of(0)),
        MoveItems.nodes(Set.of(a, b), new Vec2(10, 20)),
        new MoveItems(Set.of(a, b), Set.of(0), new Vec2(-5, 7)),
        new Connect(Link.of("a", "INT", "b", "b")),
        new Disconnect(PortRef.of("b", "a")),
        new SetWidget(a, "value", 99L),
        new SetTitle(a, "Seed"),
        new SetMode(Set.of(a, b), NodeMode.BYPASSED),
        new ResizeNode(a, new Vec2(320, 140)),
        new AddGroup(new Group("More", "#8a3f5f", new Rect(0, 0, 10, 10))),
        new EditGroup(0, new Group("Renamed", "#3f8a5f", new Rect(0, 0, 900, 300))),
        Composite.of("Two things", new SetTitle(a, "x"), new SetWidget(b, "operation", "multiply")));
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void applyChangesTheGraphAndUndoRestoresIt(Command c) {
    CommandStack stack = new CommandStack(sample());
    assertTrue(stack.execute(c), c.description());
    assertNotEquals(sample(), stack.graph());
    assertFalse(c.description().isBlank());
    stack.undo();
    assertEquals(sample(), stack.graph());
    stack.redo();
    assertEquals(c.apply(sample()), stack.graph());
  }

  @Test
  void removingNodesRemovesTheirLinks() {
    Graph g = RemoveItems.nodes(Set.of(NodeId.of("b"))).apply(sample());
    assertTrue(g.links().isEmpty());
    assertEquals(2, g.nodes().size());
  }

  @Test
  void movingAGroupMovesItsFrameAndTheNamedNodes() {
    Graph g = new MoveItems(Set.of(NodeId.of("a")), Set.of(0), new Vec2(100, 50)).apply(sample());
    assertEquals(new Vec2(100, 50), g.require(NodeId.of("a")).position());
    assertEquals(new Rect(80, 10, 560, 200), g.groups().get(0).bounds());
    assertEquals(new Vec2(300, 0), g.require(NodeId.of("b")).position());
  }

  @Test
  void movesOfTheSameItemsMergeIntoOne() {
    MoveItems m = MoveItems.nodes(Set.of(NodeId.of("a")), new Vec2(1, 0));
    Command merged = m.mergeWith(MoveItems.nodes(Set.of(NodeId.of("a")), new Vec2(0, 2))).orElseThrow();
    assertEquals(MoveItems.nodes(Set.of(NodeId.of("a")), new Vec2(1, 2)), merged);
    assertTrue(m.mergeWith(MoveItems.nodes(Set.of(NodeId.of("b")), new Vec2(0, 2))).isEmpty());
  }

  @Test
  void addingANodeWhoseIdIsTakenIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AddNodes.one(Node.of("a", "PrimitiveInt")).apply(sample()));
  }

  @Test
  void toggleModeGoesBackToNormalWhenAllHaveIt() {
    Graph g = new SetMode(Set.of(NodeId.of("a")), NodeMode.MUTED).apply(sample());
    assertEquals(NodeMode.NORMAL, SetMode.toggle(g, Set.of(NodeId.of("a")), NodeMode.MUTED).mode());
    assertEquals(NodeMode.MUTED, SetMode.toggle(g, Set.of(NodeId.of("a"), NodeId.of("b")), NodeMode.MUTED).mode());
  }

  @Test
  void blankTitleGoesBackToTheTypeName() {
    Graph g = new SetTitle(NodeId.of("a"), "  ").apply(new SetTitle(NodeId.of("a"), "x").apply(sample()));
    assertEquals(null, g.require(NodeId.of("a")).title());
  }
}
