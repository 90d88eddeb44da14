package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lora package reads files and does arithmetic only: no ONNX Runtime, no JavaFX, and nothing from the runtime,
 * the nodes or the UI, which depend on it and not the other way round.
 */
class LoraPurityTest {
  private static final List<String> FORBIDDEN = List.of("ai.onnxruntime", "ai.onnx.", "javafx.",
      "org.latentstudio.runtime", "org.latentstudio.nodes", "org.latentstudio.ui", "org.latentstudio.exec");

  @Test
  void importsNeitherTheRuntimeNorWhatUsesIt() throws IOException {
    Path dir = Path.of(System.getProperty("latentstudio.repo", "."), "src/main/java/org/latentstudio/lora");
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
