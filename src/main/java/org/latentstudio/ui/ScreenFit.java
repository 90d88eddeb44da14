package org.latentstudio.ui;

import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;

/**
 * Scenes of the size a window prefers, or smaller where the screen is: a laptop's 1366×768 has less room than the
 * studio's 1440×900, and a window taller than the screen hides its bottom edge (the status bar, a dialog's buttons).
 */
public final class ScreenFit {
  /** Room left for the window's title bar and frame. */
  private static final double FRAME_WIDTH = 40;
  private static final double FRAME_HEIGHT = 60;

  private ScreenFit() {}

  public static Scene scene(Parent root, double width, double height) {
    Rectangle2D screen = Screen.getPrimary().getVisualBounds();
    return new Scene(root, Math.min(width, screen.getWidth() - FRAME_WIDTH),
        Math.min(height, screen.getHeight() - FRAME_HEIGHT));
  }
}
