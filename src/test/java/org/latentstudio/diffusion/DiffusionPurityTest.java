package org.latentstudio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentstudio.testing.PackageImports;

/** The diffusion package stays free of ONNX Runtime, JavaFX and Jackson, as diffusers' schedulers are of models. */
class DiffusionPurityTest {
  private static final List<String> FORBIDDEN = List.of("ai.onnxruntime", "javafx.", "com.fasterxml.jackson");

  @Test
  void importsNothingHeavy() throws IOException {
    assertEquals(List.of(), PackageImports.offenders("diffusion", FORBIDDEN));
  }
}
