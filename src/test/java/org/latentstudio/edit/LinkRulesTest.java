package org.latentstudio.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.nodes.BuiltinNodes;

class LinkRulesTest {
  private final NodeCatalog catalog = BuiltinNodes.registry();
  private final LinkRules rules = new LinkRules(catalog);

  private static Graph graph() {
    return Graph.empty()
        .withNode(Node.of("i", "PrimitiveInt"))
        .withNode(Node.of("s", "PrimitiveString"))
        .withNode(Node.of("m", "IntMath"))
        .withNode(Node.of("m2", "IntMath"))
        .withNode(Node.of("cat", "StringConcat"))
        .withNode(Node.of("r", "Reroute"))
        .withNode(Node.of("show", "ShowValue"));
  }

  @Test
  void matchingTypesAreAllowed() {
    LinkRules.Verdict v = rules.check(graph(), PortRef.of("i", "INT"), PortRef.of("m", "a"));
    assertTrue(v.allowed());
    assertEquals(PortType.INT, v.sourceType());
  }

  @Test
  void mismatchedTypesAreRefusedWithAReason() {
    LinkRules.Verdict v = rules.check(graph(), PortRef.of("i", "INT"), PortRef.of("cat", "a"));
    assertFalse(v.allowed());
    assertTrue(v.reason().contains("INT cannot go into STRING"), v.reason());
  }

  @Test
  void anyInputsTakeEverything() {
    assertTrue(rules.check(graph(), PortRef.of("s", "STRING"), PortRef.of("show", "value")).allowed());
  }

  @Test
  void loopsAndSelfLinksAreRefused() {
    Graph g = graph().withLink(Link.of("m", "INT", "m2", "a"));
    assertFalse(rules.check(g, PortRef.of("m2", "INT"), PortRef.of("m", "a")).allowed());
    assertFalse(rules.check(g, PortRef.of("m", "INT"), PortRef.of("m", "b")).allowed());
  }

  @Test
  void reroutesCarryTheirSourceTypeBothWays() {
    Graph g = graph().withLink(Link.of("i", "INT", "r", "input"));
    assertFalse(rules.check(g, PortRef.of("r", "output"), PortRef.of("cat", "a")).allowed());
    assertTrue(rules.check(g, PortRef.of("r", "output"), PortRef.of("m", "a")).allowed());
    // a reroute that already feeds an INT input refuses a STRING source
    Graph fed = graph().withLink(Link.of("r", "output", "m", "a"));
    LinkRules.Verdict v = rules.check(fed, PortRef.of("s", "STRING"), PortRef.of("r", "input"));
    assertFalse(v.allowed());
    assertTrue(v.reason().contains("reroute"), v.reason());
  }

  @Test
  void searchAfterAWireDropOffersCompatibleTypesExactFirst() {
    List<PortMatching.Match> m = PortMatching.inputsAccepting(catalog, PortType.STRING);
    assertTrue(m.stream().anyMatch(x -> x.schema().typeId().equals("StringConcat")));
    assertTrue(m.stream().noneMatch(x -> x.schema().typeId().equals("PrimitiveInt")));
    assertTrue(m.get(0).exact());
    assertFalse(m.get(m.size() - 1).exact(), "ANY inputs (show value, reroute) come last");
    List<PortMatching.Match> feeding = PortMatching.outputsFeeding(catalog, PortType.FLOAT);
    assertTrue(feeding.stream().anyMatch(x -> x.schema().typeId().equals("PrimitiveFloat")));
    assertTrue(feeding.stream().noneMatch(x -> x.schema().typeId().equals("PrimitiveString")));
  }
}
