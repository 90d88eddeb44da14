package org.latentstudio.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;

/** Mirrors Scene Builder's JobManagerTest: push, undo, redo, limits, merging, re-entrancy, saved state. */
class CommandStackTest {
  private final AtomicLong now = new AtomicLong();

  private CommandStack stack(Graph g, int limit) {
    return new CommandStack(g, limit, now::get, 1_000);
  }

  private static Graph one() {
    return Graph.empty().withNode(Node.of("a", "PrimitiveInt"));
  }

  @Test
  void executeUndoRedoRestoreTheExactGraphs() {
    CommandStack s = stack(Graph.empty(), 10);
    Graph g0 = s.graph();
    s.execute(AddNodes.one(Node.of("a", "PrimitiveInt")));
    Graph g1 = s.graph();
    s.execute(new SetWidget(NodeId.of("a"), "value", 5L));
    Graph g2 = s.graph();
    assertEquals(5L, g2.require(NodeId.of("a")).widgets().get("value"));

    s.undo();
    assertEquals(g1, s.graph());
    s.undo();
    assertEquals(g0, s.graph());
    assertFalse(s.canUndo());
    s.redo();
    s.redo();
    assertEquals(g2, s.graph());
    assertFalse(s.canRedo());
  }

  @Test
  void aSlowDragIsStillOneUndoStep() {
    CommandStack s = stack(one(), 10);
    s.execute(new SetWidget(NodeId.of("a"), "value", 1L));
    s.beginGesture();
    for (long v = 2; v <= 6; v++) {
      now.addAndGet(5_000); // far beyond the 1,000 ns merge window between two drag events
      s.execute(new SetWidget(NodeId.of("a"), "value", v));
    }
    s.seal();
    assertEquals(2, s.undoSize(), "the value before the drag, and the drag");
    s.undo();
    assertEquals(1L, s.graph().require(NodeId.of("a")).widgets().get("value"));

    now.addAndGet(5_000);
    s.execute(new SetWidget(NodeId.of("a"), "value", 7L));
    now.addAndGet(5_000);
    s.execute(new SetWidget(NodeId.of("a"), "value", 8L));
    assertEquals(3, s.undoSize(), "outside a gesture, the merge window applies again");
  }

  @Test
  void aNewEditClearsRedo() {
    CommandStack s = stack(one(), 10);
    s.execute(new SetWidget(NodeId.of("a"), "value", 1L));
    s.undo();
    assertTrue(s.canRedo());
    s.execute(new SetTitle(NodeId.of("a"), "A"));
    assertFalse(s.canRedo());
  }

  @Test
  void theStackIsBounded() {
    CommandStack s = stack(one(), 3);
    for (int i = 0; i < 5; i++) {
      s.execute(new SetTitle(NodeId.of("a"), "t" + i));
    }
    assertEquals(3, s.undoSize());
    s.undo();
    s.undo();
    s.undo();
    assertEquals("t1", s.graph().require(NodeId.of("a")).title());
    assertFalse(s.canUndo());
  }

  @Test
  void commandsThatChangeNothingAreNotRecorded() {
    CommandStack s = stack(one(), 10);
    assertFalse(s.execute(MoveItems.nodes(Set.of(NodeId.of("a")), Vec2.ZERO)));
    assertFalse(s.canUndo());
    assertFalse(s.isDirty());
  }

  @Test
  void mergingCommandsWithinTheWindowUndoInOneStep() {
    CommandStack s = stack(one(), 10);
    Graph before = s.graph();
    for (long v = 1; v <= 20; v++) {
      now.addAndGet(10);
      s.execute(new SetWidget(NodeId.of("a"), "value", v));
    }
    assertEquals(1, s.undoSize());
    s.undo();
    assertEquals(before, s.graph());
    s.redo();
    assertEquals(20L, s.graph().require(NodeId.of("a")).widgets().get("value"));
  }

  @Test
  void sealingOrAPauseStartsANewStep() {
    CommandStack s = stack(one(), 10);
    s.execute(new SetWidget(NodeId.of("a"), "value", 1L));
    s.seal();
    s.execute(new SetWidget(NodeId.of("a"), "value", 2L));
    now.addAndGet(5_000);
    s.execute(new SetWidget(NodeId.of("a"), "value", 3L));
    assertEquals(3, s.undoSize());
  }

  @Test
  void differentTargetsDoNotMerge() {
    CommandStack s = stack(one().withNode(Node.of("b", "PrimitiveInt")), 10);
    s.execute(new SetWidget(NodeId.of("a"), "value", 1L));
    s.execute(new SetWidget(NodeId.of("b"), "value", 1L));
    assertEquals(2, s.undoSize());
  }

  @Test
  void aGestureThatReturnsToItsStartLeavesNothingToUndo() {
    CommandStack s = stack(one(), 10);
    s.execute(MoveItems.nodes(Set.of(NodeId.of("a")), new Vec2(5, 0)));
    s.execute(MoveItems.nodes(Set.of(NodeId.of("a")), new Vec2(-5, 0)));
    assertFalse(s.canUndo());
    assertFalse(s.isDirty());
  }

  @Test
  void dirtyFollowsTheSavedStateThroughUndo() {
    CommandStack s = stack(one(), 10);
    assertFalse(s.isDirty());
    s.execute(new SetTitle(NodeId.of("a"), "x"));
    assertTrue(s.isDirty());
    s.markSaved();
    assertFalse(s.isDirty());
    s.execute(new SetTitle(NodeId.of("a"), "y"));
    assertTrue(s.isDirty());
    s.undo();
    assertFalse(s.isDirty(), "back at the saved state");
    s.undo();
    assertTrue(s.isDirty());
    s.redo();
    assertFalse(s.isDirty());
  }

  @Test
  void resetToUnsavedIsDirty() {
    CommandStack s = stack(Graph.empty(), 10);
    s.resetTo(one(), false);
    assertTrue(s.isDirty());
    assertFalse(s.canUndo());
    s.reset(one());
    assertFalse(s.isDirty());
  }

  @Test
  void listenersCannotEditWhileBeingTold() {
    CommandStack s = stack(one(), 10);
    AtomicInteger calls = new AtomicInteger();
    s.addListener(st -> {
      calls.incrementAndGet();
      assertThrows(IllegalStateException.class, () -> st.execute(new SetTitle(NodeId.of("a"), "nested")));
    });
    s.execute(new SetTitle(NodeId.of("a"), "outer"));
    assertEquals(1, calls.get());
    assertEquals("outer", s.graph().require(NodeId.of("a")).title());
  }

  @Test
  void aFailingCommandLeavesEverythingAsItWas() {
    CommandStack s = stack(one(), 10);
    Graph before = s.graph();
    assertThrows(IllegalArgumentException.class, () -> s.execute(new SetTitle(NodeId.of("missing"), "x")));
    assertEquals(before, s.graph());
    assertFalse(s.canUndo());
    s.execute(new SetTitle(NodeId.of("a"), "fine"));
    assertTrue(s.canUndo());
  }

  @Test
  void descriptionsNameTheSteps() {
    CommandStack s = stack(one(), 10);
    s.execute(new Composite("Add and wire", List.of(new SetTitle(NodeId.of("a"), "b"))));
    assertEquals(Optional.of("Add and wire"), s.undoDescription());
    s.undo();
    assertEquals(Optional.of("Add and wire"), s.redoDescription());
  }
}
