package org.latentstudio.ui;

import atlantafx.base.theme.PrimerDark;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * The look: AtlantaFX's Primer Dark for every control, plus {@code studio.css} for what the theme does not
 * cover (the node canvas, our panels). The canvas colours in {@link Palette} follow the same theme.
 */
public final class Theme {
  private Theme() {}

  public static final String STYLESHEET = Theme.class.getResource("studio.css").toExternalForm();

  /** Sets the theme for the whole application (controls in every window, dialogs included). */
  public static void installUserAgent() {
    Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
  }

  public static void apply(Scene scene) {
    if (!scene.getStylesheets().contains(STYLESHEET)) {
      scene.getStylesheets().add(STYLESHEET);
    }
  }
}
