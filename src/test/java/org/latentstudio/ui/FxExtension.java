package org.latentstudio.ui;

import javafx.application.Platform;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;

/**
 * Starts the JavaFX platform once for all UI tests (headless Monocle with software rendering, from the
 * surefire argLine), as AtlantaFX's JavaFXTest does. The studio has no animations that tests wait on: hints
 * and notifications are off or time-independent in tests.
 */
public final class FxExtension implements BeforeAllCallback {
  private static boolean started;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (FxExtension.class) {
      if (!started) {
        FxToolkit.registerPrimaryStage();
        Platform.setImplicitExit(false);
        started = true;
      }
    }
  }
}
