package org.latentstudio.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphTest {
  @Test
  void aNewLinkIntoAnInputReplacesTheOldOne() {
    Graph g = Graph.empty().withNode(Node.of("a", "T")).withNode(Node.of("b", "T")).withNode(Node.of("c", "T"))
        .withLink(Link.of("a", "OUT", "c", "in"))
        .withLink(Link.of("b", "OUT", "c", "in"));
    assertEquals(List.of(Link.of("b", "OUT", "c", "in")), g.links());
  }

  @Test
  void removingNodesRemovesTheirLinks() {
    Graph g = Graph.empty().withNode(Node.of("a", "T")).withNode(Node.of("b", "T"))
        .withLink(Link.of("a", "OUT", "b", "in"));
    Graph removed = g.withoutNodes(Set.of(NodeId.of("a")));
    assertFalse(removed.contains(NodeId.of("a")));
    assertEquals(List.of(), removed.links());
    assertEquals(1, g.links().size(), "the original graph is unchanged");
  }

  @Test
  void nodeOrderIsPartOfEquality() {
    Graph ab = Graph.empty().withNode(Node.of("a", "T")).withNode(Node.of("b", "T"));
    Graph ba = Graph.empty().withNode(Node.of("b", "T")).withNode(Node.of("a", "T"));
    assertNotEquals(ab, ba);
    assertEquals(ab, Graph.empty().withNode(Node.of("a", "T")).withNode(Node.of("b", "T")));
  }

  @Test
  void freshIdsAreReadableAndUnique() {
    Graph g = Graph.empty().withNode(Node.of("ksampler", "KSampler"));
    assertEquals(NodeId.of("ksampler_2"), g.freshId("KSampler"));
    assertEquals(NodeId.of("note"), g.freshId("Note"));
  }

  @Test
  void nodeIdsRejectDotsAndSpacesSoSetAssignmentsStayUnambiguous() {
    assertThrows(IllegalArgumentException.class, () -> NodeId.of("a.b"));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of("a b"));
    assertTrue(NodeId.isValid("sampler_2-x"));
  }

  @Test
  void widgetsAreImmutableAndOrdered() {
    Node n = Node.of("a", "T").withWidget("z", 1L).withWidget("a", 2L);
    assertEquals(List.of("z", "a"), List.copyOf(n.widgets().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> n.widgets().put("q", 1));
    assertEquals(Map.of("a", 2L), n.withWidget("z", null).widgets());
  }
}
