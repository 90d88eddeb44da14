package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.latentstudio.ui.files.WindowState;

/**
 * A window closed on a large monitor opens whole on a smaller screen (a laptop undocked): its saved place is
 * moved and shrunk onto the screen rather than restored half off it.
 */
class WindowPlacementTest extends StudioTestBase {
  private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1366, 768);

  @Test
  void aPlaceThatFitsIsKept() {
    Rectangle2D fits = new Rectangle2D(80, 33, 1200, 700);
    assertEquals(fits, WindowPlacement.fit(fits, LAPTOP));
  }

  @Test
  void aWindowHangingOverTheEdgeMovesBackOntoTheScreen() {
    assertEquals(new Rectangle2D(166, 68, 1200, 700),
        WindowPlacement.fit(new Rectangle2D(600, 400, 1200, 700), LAPTOP), "over the right and bottom edges");
    assertEquals(new Rectangle2D(0, 0, 1200, 700),
        WindowPlacement.fit(new Rectangle2D(-50, -20, 1200, 700), LAPTOP), "over the left and top edges");
  }

  @Test
  void aWindowLargerThanTheScreenIsShrunkToIt() {
    assertEquals(LAPTOP, WindowPlacement.fit(new Rectangle2D(80, 33, 1440, 900), LAPTOP));
    Rectangle2D second = new Rectangle2D(1920, 0, 1366, 768); // a second screen to the right
    assertEquals(second, WindowPlacement.fit(new Rectangle2D(2000, 33, 1440, 900), second));
  }

  /** The studio itself, opened with a window.json saved on a larger screen than this one. */
  @Test
  void theStudioOpensWhollyOnTheScreen() {
    Rectangle2D screen = fx(() -> Screen.getPrimary().getVisualBounds());
    new WindowState(screen.getMaxX() - 300, screen.getMaxY() - 200, screen.getWidth() + 200,
        screen.getHeight() + 100, false).save(config().userDir().resolve("window.json"));
    Rectangle2D window = fx(() -> {
      Stage stage = new Stage();
      new StudioWindow(stage, config());
      return new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
    });
    assertTrue(screen.contains(window), window + " lies outside the screen " + screen);
    assertEquals(screen, window, "as large as the screen allows");
  }
}
