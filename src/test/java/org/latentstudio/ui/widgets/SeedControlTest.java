package org.latentstudio.ui.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.PortType;

class SeedControlTest {
  private static final InputSpec SEED = new InputSpec("seed", PortType.INT, 0L, 0L, 100L, 1L, List.of(), false,
      false, true, null, null);

  @Test
  void theControlIsStoredNextToTheSeedAndDefaultsToRandomize() {
    Node n = Node.of("s", "KSampler");
    assertEquals(SeedControl.RANDOMIZE, SeedControl.of(n, "seed"));
    assertEquals(SeedControl.FIXED, SeedControl.of(n.withWidget("seed.after_run", "fixed"), "seed"));
    assertEquals(SeedControl.INCREMENT, SeedControl.of(n.withWidget("seed.after_run", "increment"), "seed"));
  }

  @Test
  void nextSeedsStayInRange() {
    assertNull(SeedControl.FIXED.next(5, SEED, new Random(1)));
    assertEquals(6L, SeedControl.INCREMENT.next(5, SEED, new Random(1)));
    assertEquals(0L, SeedControl.INCREMENT.next(100, SEED, new Random(1)), "wraps at the maximum");
    assertEquals(100L, SeedControl.DECREMENT.next(0, SEED, new Random(1)));
    Random r = new Random(3);
    for (int i = 0; i < 100; i++) {
      long v = SeedControl.RANDOMIZE.next(5, SEED, r);
      assertTrue(v >= 0 && v <= 100);
    }
  }
}
