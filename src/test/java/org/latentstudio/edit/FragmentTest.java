package org.latentstudio.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;

class FragmentTest {
  @Test
  void copyKeepsInsideLinksAndRemembersIncomingOnes() {
    Fragment f = Fragment.copy(CommandsTest.sample(), Set.of(NodeId.of("b"), NodeId.of("show")), Set.of());
    assertEquals(2, f.graph().nodes().size());
    assertEquals(1, f.graph().links().size());
    assertEquals(1, f.incoming().size());
    assertTrue(f.graph().groups().isEmpty());
  }

  @Test
  void pastingRenamesTakenIdsAndMovesToTheCursor() {
    Graph g = CommandsTest.sample();
    Fragment f = Fragment.copy(g, Set.of(NodeId.of("b"), NodeId.of("show")), Set.of(0));
    Graph pasted = f.pasteInto(g, new Vec2(1000, 1000), false, "Paste").apply(g);
    assertEquals(5, pasted.nodes().size());
    assertEquals(new Vec2(1000 + 300 + 20, 1000 + 40), pasted.require(NodeId.of("b_2")).position());
    assertTrue(pasted.links().contains(Link.of("b_2", "INT", "show_2", "value")));
    assertEquals(2, pasted.groups().size());
    assertEquals(1000, pasted.groups().get(1).bounds().x());
  }

  @Test
  void pasteWithConnectionsKeepsTheIncomingLinks() {
    Graph g = CommandsTest.sample();
    Fragment f = Fragment.copy(g, Set.of(NodeId.of("b")), Set.of());
    Graph pasted = f.pasteInto(g, new Vec2(0, 500), true, "Paste").apply(g);
    assertTrue(pasted.links().contains(Link.of("a", "INT", "b_2", "a")));
    Graph plain = f.pasteInto(g, new Vec2(0, 500), false, "Paste").apply(g);
    assertTrue(plain.linksInto(NodeId.of("b_2")).isEmpty());
  }

  @Test
  void freshIdsCountUp() {
    assertEquals(NodeId.of("x_3"), Fragment.freshId(NodeId.of("x_2"), Set.of(NodeId.of("x_2"), NodeId.of("x"))));
    assertEquals(NodeId.of("y"), Fragment.freshId(NodeId.of("y"), Set.of()));
  }
}
