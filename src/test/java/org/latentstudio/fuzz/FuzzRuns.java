package org.latentstudio.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a fuzz target under Jazzer's own driver in a process of its own, the way CI runs each one briefly
 * ({@link FuzzRunsTest}) and a person runs it for long (README, "Fuzzing"):
 * <pre>
 *   java -cp "target/test-classes:target/classes:$(cat target/test-classpath)" org.latentstudio.fuzz.FuzzRuns \
 *       workflow -max_total_time=3600
 * </pre>
 * The arguments after the target's name go to libFuzzer ({@code -runs=N}, {@code -seed=N}, ...). New inputs go
 * to {@code target/fuzz/<target>/corpus}, findings to {@code target/fuzz/<target>}.
 */
public final class FuzzRuns {
  /** Target name → class; the seeds of each are in src/test/resources/fuzz/NAME. */
  static final Map<String, Class<?>> TARGETS = Map.of(
      "workflow", WorkflowReaderFuzz.class,
      "png", PngTextFuzz.class,
      "tokenizer", TokenizerFuzz.class,
      "safetensors", SafetensorsHeaderFuzz.class);

  private FuzzRuns() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !TARGETS.containsKey(args[0])) {
      System.err.println("usage: FuzzRuns " + String.join("|", TARGETS.keySet()) + " [libFuzzer options]");
      System.exit(2);
    }
    Path repo = Path.of(System.getProperty("latentstudio.repo", ".")).toAbsolutePath();
    Process p = command(args[0], repo, repo.resolve("target/fuzz").resolve(args[0]),
        List.of(args).subList(1, args.length)).inheritIO().start();
    System.exit(p.waitFor());
  }

  /** The driver's command line for a target, working in {@code work} (corpus and findings). */
  static ProcessBuilder command(String target, Path repo, Path work, List<String> libFuzzerArgs) throws IOException {
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+EnableDynamicAgentLoading", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        "com.code_intelligence.jazzer.Jazzer", "--target_class=" + TARGETS.get(target).getName(),
        "--instrumentation_includes=org.latentstudio.**", "--keep_going=1", corpus.toString()));
    Path seeds = repo.resolve("src/test/resources/fuzz").resolve(target);
    if (Files.isDirectory(seeds)) {
      cmd.add(seeds.toString());
    }
    cmd.addAll(libFuzzerArgs);
    return new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
  }

  /**
   * A message a user reads must not be a programmer's: no Java class names, no parser internals. Words the input
   * itself holds may come back quoted, so they do not count.
   */
  static void checkMessage(String message, byte[] input) {
    if (message == null || message.isBlank()) {
      throw new AssertionError("an error without a message");
    }
    String in = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String jargon : new String[] {"Exception", "java.", "JsonToken", "JsonReadFeature", "com.fasterxml"}) {
      if (message.contains(jargon) && !in.contains(jargon)) {
        throw new AssertionError("'" + jargon + "' in a user's message: " + message);
      }
    }
  }

  static String show(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().limit(200).forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u{%x}", c)
        : Character.toString(c)));
    return sb.append('"').toString();
  }
}
