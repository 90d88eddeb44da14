package org.latentstudio.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that runs models on one real ONNX Runtime with the default settings, shared by its tests and closed
 * after them (as {@link org.latentstudio.testing.AppTest} does for the whole app).
 */
abstract class RuntimeTest {
  static OrtRuntime runtime;

  @BeforeAll
  static void startRuntime() {
    runtime = new OrtRuntime(RuntimeSettings.defaults());
  }

  @AfterAll
  static void stopRuntime() {
    runtime.close();
  }
}
