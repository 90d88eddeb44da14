package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import java.util.List;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.Test;

/**
 * The Properties tab follows the selection (also after a garbage collection) and edits through commands. Its panel
 * joins the window when the tab is first opened, as a user opens it.
 */
class PropertiesPanelTest extends StudioTestBase {
  @Test
  void theSheetShowsTheSelectedNodeAndItsEditsUndo() {
    load(CanvasEditingTest.twoNumbers());
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    robot.clickOn(title("math"));
    assertTrue(robot.lookup("#properties").tryQuery().isEmpty(), "the panel waits until its tab is opened");
    robot.clickOn(robot.lookup(".tab-pane .tab-label").match(hasText("Properties")).queryLabeled());
    PropertySheet sheet = robot.lookup("#properties").queryAs(PropertySheet.class);
    waitUntil("the sheet", () -> !sheet.getItems().isEmpty());
    List<String> names = fx(() -> sheet.getItems().stream().map(PropertySheet.Item::getName).toList());
    assertTrue(names.containsAll(List.of("Title", "Mode", "a", "b", "operation")), names.toString());
    fx(() -> sheet.getItems().stream().filter(i -> i.getName().equals("b")).findFirst().orElseThrow().setValue(9L));
    assertEquals(9L, graph().require(id("math")).widgets().get("b"));
    fx(() -> studio.document().undo());
    assertEquals(1L, graph().require(id("math")).widgets().get("b"));
    robot.clickOn(emptySpot());
    waitUntil("cleared", () -> sheet.getItems().isEmpty());
  }
}
