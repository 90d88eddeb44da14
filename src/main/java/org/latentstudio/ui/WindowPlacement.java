package org.latentstudio.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.latentstudio.ui.files.WindowState;

/**
 * The window's place and size, saved when it closes and restored when it opens: moved and shrunk onto the screen
 * it was on, so that a window closed on a large monitor opens whole on a laptop's screen.
 */
final class WindowPlacement {
  private final Stage stage;
  private final Path file;

  WindowPlacement(Stage stage, Path file) {
    this.stage = stage;
    this.file = file;
  }

  /**
   * Restores the saved place on the screen it overlaps; if none does (its monitor unplugged), only its size, within
   * the primary screen, and the window opens where the system puts it.
   */
  void restore() {
    WindowState.load(file).ifPresent(w -> {
      Rectangle2D saved = new Rectangle2D(w.x(), w.y(), w.width(), w.height());
      List<Screen> screens = Screen.getScreensForRectangle(saved);
      if (screens.isEmpty()) {
        Rectangle2D primary = Screen.getPrimary().getVisualBounds();
        stage.setWidth(Math.min(w.width(), primary.getWidth()));
        stage.setHeight(Math.min(w.height(), primary.getHeight()));
      } else {
        Rectangle2D placed = fit(saved, screens.get(0).getVisualBounds());
        stage.setX(placed.getMinX());
        stage.setY(placed.getMinY());
        stage.setWidth(placed.getWidth());
        stage.setHeight(placed.getHeight());
      }
      stage.setMaximized(w.maximized());
    });
  }

  /** {@code saved}, shrunk to fit {@code bounds} if larger, then moved the least that puts it wholly inside. */
  static Rectangle2D fit(Rectangle2D saved, Rectangle2D bounds) {
    double width = Math.min(saved.getWidth(), bounds.getWidth());
    double height = Math.min(saved.getHeight(), bounds.getHeight());
    double x = Math.max(bounds.getMinX(), Math.min(saved.getMinX(), bounds.getMaxX() - width));
    double y = Math.max(bounds.getMinY(), Math.min(saved.getMinY(), bounds.getMaxY() - height));
    return new Rectangle2D(x, y, width, height);
  }

  void save() {
    if (stage.isShowing()) {
      new WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized()).save(file);
    }
  }
}
