package org.latentstudio.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.latentstudio.app.AppContext;

/**
 * A test class that runs the app's own wiring ({@link AppContext}: the node catalog, the executor, ONNX Runtime,
 * the models library), one per class, shared by its tests and closed after them.
 */
public abstract class AppTest {
  protected static AppContext app;

  @BeforeAll
  static void startApp() {
    app = new AppContext();
  }

  @AfterAll
  static void stopApp() {
    app.close();
  }
}
