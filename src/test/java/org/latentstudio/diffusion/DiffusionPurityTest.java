package org.latentstudio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The diffusion package stays free of ONNX Runtime, JavaFX and Jackson, as diffusers' schedulers are of models. */
class DiffusionPurityTest {
  private static final List<String> FORBIDDEN = List.of("ai.onnxruntime", "javafx.", "com.fasterxml.jackson");

  @Test
  void importsNothingHeavy() throws IOException {
    Path dir = Path.of(System.getProperty("latentstudio.repo", "."), "src/main/java/org/latentstudio/diffusion");
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import") && FORBIDDEN.stream().anyMatch(line::contains)) {
            offenders.add(f.getFileName() + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }
}
