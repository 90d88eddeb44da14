package org.latentstudio.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each fuzz target for a fixed number of inputs from a fixed seed, under Jazzer's driver with coverage
 * guidance: the same run every time, so a failure here is a finding to fix, not noise. The long runs and what
 * they survived are in the README.
 */
class FuzzRunsTest {
  static final Path REPO = Path.of(System.getProperty("latentstudio.repo", ".")).toAbsolutePath();

  @TempDir
  Path work;

  @ParameterizedTest
  @CsvSource({"workflow, 3000", "png, 10000", "tokenizer, 3000", "safetensors, 10000"})
  void survivesAFixedSeedRun(String target, int runs) throws Exception {
    Process p = FuzzRuns.command(target, REPO, work, List.of("-runs=" + runs, "-seed=1")).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "still fuzzing after 5 minutes");
    String out = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    assertEquals(0, p.exitValue(), () -> target + " found something:\n" + out);
    Matcher done = Pattern.compile("Done (\\d+) runs").matcher(out);
    assertTrue(done.find(), out);
    System.out.println("fuzz " + target + ": " + done.group(1) + " inputs, seed 1, no finding");
  }
}
