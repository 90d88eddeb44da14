package org.latentstudio.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.testing.GraphBuilder;
import org.junit.jupiter.api.Test;

class GraphValidatorTest {
  private final GraphValidator validator = new GraphValidator(BuiltinNodes.registry());

  private Problem only(Graph g) {
    List<Problem> problems = validator.validate(g);
    assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
    return problems.get(0);
  }

  @Test
  void aValidGraphHasNoProblems() {
    Graph g = new GraphBuilder()
        .node("a", "PrimitiveInt", "value", 2)
        .node("b", "PrimitiveInt", "value", 3)
        .node("sum", "IntMath", "operation", "multiply")
        .node("show", "ShowValue")
        .link("a.INT", "sum.a").link("b.INT", "sum.b").link("sum.INT", "show.value")
        .build();
    assertEquals(List.of(), validator.validate(g));
  }

  @Test
  void unknownTypeNamesTheNodeAndSuggestsTheClosestType() {
    Problem p = only(new GraphBuilder().node("m", "IntMaht").build());
    assertEquals(Problem.Kind.UNKNOWN_TYPE, p.kind());
    assertEquals(NodeId.of("m"), p.node());
    assertTrue(p.describe().contains("did you mean IntMath"), p.describe());
  }

  @Test
  void aMisspelledWidgetIsAProblemWithDidYouMean() {
    Problem p = only(new GraphBuilder().node("a", "PrimitiveInt", "valeu", 2).build());
    assertEquals(Problem.Kind.NO_SUCH_PORT, p.kind());
    assertEquals("widget 'valeu'", p.port());
    assertTrue(p.describe().contains("PrimitiveInt has no input 'valeu'; did you mean 'value'?"), p.describe());
  }

  @Test
  void anAfterRunChoiceIsAKnownWidgetButOnlyBesideAWholeNumber() {
    Graph seeded = new GraphBuilder().node("s", "KSampler", "seed.after_run", "fixed").build();
    assertTrue(validator.validate(seeded).stream().noneMatch(p -> p.kind() == Problem.Kind.NO_SUCH_PORT),
        () -> validator.validate(seeded).toString());
    Graph notANumber = new GraphBuilder().node("s", "KSampler", "cfg.after_run", "fixed").build();
    assertTrue(validator.validate(notANumber).stream().anyMatch(p -> p.kind() == Problem.Kind.NO_SUCH_PORT
        && p.port().equals("widget 'cfg.after_run'")), () -> validator.validate(notANumber).toString());
  }

  @Test
  void missingRequiredInputNamesThePortAndItsType() {
    Problem p = only(new GraphBuilder().node("show", "ShowValue").build());
    assertEquals(Problem.Kind.MISSING_INPUT, p.kind());
    assertEquals("ShowValue", p.nodeType());
    assertEquals("input 'value'", p.port());
    assertTrue(p.fix().contains("connect"), p.fix());
  }

  @Test
  void linkBetweenIncompatibleTypesIsRefused() {
    Problem p = only(new GraphBuilder()
        .node("s", "PrimitiveString", "value", "x")
        .node("m", "IntMath")
        .link("s.STRING", "m.a")
        .build());
    assertEquals(Problem.Kind.TYPE_MISMATCH, p.kind());
    assertEquals(NodeId.of("m"), p.node());
    assertTrue(p.message().contains("expects INT") && p.message().contains("gives STRING"), p.message());
  }

  @Test
  void rerouteTakesOnItsSourceTypeSoAMismatchBehindItIsStillFound() {
    Problem p = only(new GraphBuilder()
        .node("s", "PrimitiveString", "value", "x")
        .node("r", "Reroute")
        .node("m", "IntMath")
        .link("s.STRING", "r.input").link("r.output", "m.a")
        .build());
    assertEquals(Problem.Kind.TYPE_MISMATCH, p.kind());
    assertTrue(p.message().contains("gives STRING"), p.message());
  }

  @Test
  void cycleIsReportedOnceWithItsNodes() {
    Problem p = only(new GraphBuilder()
        .node("a", "IntMath").node("b", "IntMath").node("c", "IntMath")
        .link("a.INT", "b.a").link("b.INT", "c.a").link("c.INT", "a.a")
        .build());
    assertEquals(Problem.Kind.CYCLE, p.kind());
    assertTrue(p.message().contains("a -> b -> c -> a"), p.message());
  }

  @Test
  void valueOutOfRangeOrNotInListOrWrongType() {
    var g = new GraphBuilder()
        .node("m", "IntMath", "operation", "cube")
        .node("f", "FloatMath", "a", "lots")
        .build();
    List<Problem> problems = validator.validate(g);
    assertEquals(2, problems.size(), problems::toString);
    Problem notInList = problems.get(0);
    assertEquals(Problem.Kind.NOT_IN_LIST, notInList.kind());
    assertTrue(notInList.fix().contains("add, subtract"), notInList.fix());
    assertEquals(Problem.Kind.BAD_VALUE, problems.get(1).kind());
    assertEquals(NodeId.of("f"), problems.get(1).node());
  }

  @Test
  void rangeIsCheckedAgainstTheSchema() {
    NodeCatalog catalog = new org.latentstudio.testing.CountingNodes().registry();
    Problem p = new GraphValidator(catalog)
        .validate(new GraphBuilder().node("c", "Const", "value", 5_000_000).build()).get(0);
    assertEquals(Problem.Kind.OUT_OF_RANGE, p.kind());
    assertTrue(p.describe().contains("node 'c' (Const), input 'value': value 5000000 is above the maximum 1000000"),
        p.describe());
    assertTrue(p.fix().contains("between -1000000 and 1000000"), p.fix());
  }

  @Test
  void linkToAPortThatDoesNotExist() {
    Problem p = only(new GraphBuilder()
        .node("a", "PrimitiveInt").node("show", "ShowValue")
        .link("a.INT", "show.value")
        .link("a.INT", "show.valeu")
        .build());
    assertEquals(Problem.Kind.NO_SUCH_PORT, p.kind());
    assertTrue(p.message().contains("no input 'valeu'") && p.message().contains("its inputs: value"), p.message());

    Problem out = only(new GraphBuilder()
        .node("a", "PrimitiveInt").node("show", "ShowValue")
        .link("a.FLOAT", "show.value").build());
    assertEquals(Problem.Kind.NO_SUCH_PORT, out.kind());
    assertTrue(out.message().contains("output 'FLOAT'"), out.message());
  }

  @Test
  void linkFromANodeThatDoesNotExist() {
    Graph g = new GraphBuilder().node("show", "ShowValue").build()
        .withLink(Link.of("ghost", "INT", "show", "value"));
    Problem p = only(g);
    assertEquals(Problem.Kind.NO_SUCH_NODE, p.kind());
    assertTrue(p.message().contains("'ghost'"), p.message());
  }

  @Test
  void mutedNodesAreNotChecked() {
    Graph g = new GraphBuilder().node("show", "ShowValue").mode("show", NodeMode.MUTED).build();
    assertEquals(List.of(), validator.validate(g));
  }

  @Test
  void schemaRejectsDuplicatePortNames() {
    var port = InPort.integer("x", 0, 0, 1);
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NodeSchema.of("T", "T", "c", List.of(port, port), List.of()));
    assertTrue(e.getMessage().contains("'x' twice"));
  }
}
