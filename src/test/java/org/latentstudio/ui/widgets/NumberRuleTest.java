package org.latentstudio.ui.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.PortType;

class NumberRuleTest {
  private static NumberRule rule(PortType type, Number min, Number max, Number step) {
    return new NumberRule(new InputSpec("x", type, 0, min, max, step, List.of(), false, false, false, null, null));
  }

  private static final NumberRule CFG = rule(PortType.FLOAT, 0.0, 100.0, 0.5);
  private static final NumberRule DENOISE = rule(PortType.FLOAT, 0.0, 1.0, 0.01);
  private static final NumberRule SEED = rule(PortType.INT, 0L, Long.MAX_VALUE, 1L);
  private static final NumberRule WIDTH = rule(PortType.INT, 16L, 8192L, 8L);

  @Test
  void valuesSnapToTheStepAndStayInRange() {
    assertEquals(7.5, CFG.clampAndRound(7.4));
    assertEquals(100.0, CFG.clampAndRound(250));
    assertEquals(0.0, CFG.clampAndRound(-3));
    assertEquals(0.35, DENOISE.clampAndRound(0.3512));
    assertEquals(520L, WIDTH.clampAndRound(517));
    assertEquals(16L, WIDTH.clampAndRound(3));
  }

  @Test
  void aHugeDragSaturatesAtTheLongRangeInsteadOfWrapping() {
    assertEquals(Long.MAX_VALUE, SEED.clampAndRound(1e30));
  }

  @Test
  void typedTextIsANumberOrArithmetic() {
    assertEquals(768L, WIDTH.parse(" 512*1.5 "));
    assertEquals(12.0, CFG.parse("(20+4)/2"));
    // a 19-digit seed is kept exactly: through a double it would lose its last digits
    assertEquals(9_007_199_254_740_993L, SEED.parse("9007199254740993"));
    assertEquals(8192L, WIDTH.parse("100000"));
    assertThrows(IllegalArgumentException.class, () -> CFG.parse("seven"));
    assertThrows(IllegalArgumentException.class, () -> SEED.parse("99999999999999999999"));
  }

  @Test
  void theFieldShowsAsManyDecimalsAsTheStep() {
    assertEquals(2, DENOISE.decimals());
    assertEquals(1, CFG.decimals());
    assertEquals("0.35", DENOISE.format(0.35000001));
    assertEquals("7.5", CFG.format(7.5));
    assertEquals("512", WIDTH.format(512L));
  }

  @Test
  void onlyBoundedFloatsFillLikeASlider() {
    assertTrue(DENOISE.slider());
    assertFalse(WIDTH.slider());
    assertFalse(rule(PortType.FLOAT, null, null, null).slider());
    assertEquals(0.01, rule(PortType.FLOAT, null, null, null).step());
  }
}
