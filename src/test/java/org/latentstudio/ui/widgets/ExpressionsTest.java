package org.latentstudio.ui.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExpressionsTest {
  @Test
  void arithmeticAsBlenderAllowsIt() {
    assertEquals(768, Expressions.evaluate("512*1.5"));
    assertEquals(12, Expressions.evaluate("(20 + 4) / 2"));
    assertEquals(-3, Expressions.evaluate("-3"));
    assertEquals(0.0001, Expressions.evaluate("1e-4"), 1e-12);
    assertEquals(7, Expressions.evaluate(" 1+2*3 "));
  }

  @Test
  void anythingElseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Expressions.evaluate("abc"));
    assertThrows(IllegalArgumentException.class, () -> Expressions.evaluate("1/0"));
    assertThrows(IllegalArgumentException.class, () -> Expressions.evaluate("(1+2"));
    assertThrows(IllegalArgumentException.class, () -> Expressions.evaluate(""));
  }
}
