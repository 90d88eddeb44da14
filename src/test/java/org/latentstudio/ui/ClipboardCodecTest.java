package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentstudio.edit.Fragment;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;

class ClipboardCodecTest {
  private final ClipboardCodec codec = new ClipboardCodec();

  @Test
  void aCopiedFragmentRoundTripsThroughText() {
    Graph g = CanvasEditingTest.twoNumbers().withLink(Link.of("num", "INT", "math", "a"));
    Fragment f = Fragment.copy(g, Set.of(NodeId.of("math")), Set.of());
    String text = codec.write(f);
    Fragment back = codec.read(text).orElseThrow();
    assertEquals(f.graph(), back.graph());
    assertEquals(f.incoming(), back.incoming());
    assertTrue(text.startsWith("{"));
  }

  @Test
  void textThatIsNotAWorkflowIsIgnored() {
    assertTrue(codec.read("hello").isEmpty());
    assertTrue(codec.read("{\"foo\": 1}").isEmpty());
    assertTrue(codec.read(null).isEmpty());
  }
}
