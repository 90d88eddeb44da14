package org.latentstudio.ui;

import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.latentstudio.ui.files.WindowState;

/** The window's place and size, saved when it closes and restored when it opens, if that place is still on a screen. */
final class WindowPlacement {
  private final Stage stage;
  private final Path file;

  WindowPlacement(Stage stage, Path file) {
    this.stage = stage;
    this.file = file;
  }

  /** Restores the saved place, within {@code screen}'s size. */
  void restore(Rectangle2D screen) {
    WindowState.load(file).ifPresent(w -> {
      boolean visible = !Screen.getScreensForRectangle(w.x(), w.y(), w.width(), w.height()).isEmpty();
      if (visible) {
        stage.setX(w.x());
        stage.setY(w.y());
      }
      stage.setWidth(Math.min(w.width(), screen.getWidth()));
      stage.setHeight(Math.min(w.height(), screen.getHeight()));
      stage.setMaximized(w.maximized());
    });
  }

  void save() {
    if (stage.isShowing()) {
      new WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized()).save(file);
    }
  }
}
