package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentstudio.testing.PackageImports;

/**
 * The lora package reads files and does arithmetic only: no ONNX Runtime, no JavaFX, and nothing from the runtime,
 * the nodes or the UI, which depend on it and not the other way round.
 */
class LoraPurityTest {
  private static final List<String> FORBIDDEN = List.of("ai.onnxruntime", "ai.onnx.", "javafx.",
      "org.latentstudio.runtime", "org.latentstudio.nodes", "org.latentstudio.ui", "org.latentstudio.exec");

  @Test
  void importsNeitherTheRuntimeNorWhatUsesIt() throws IOException {
    assertEquals(List.of(), PackageImports.offenders("lora", FORBIDDEN));
  }
}
