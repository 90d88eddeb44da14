package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/**
 * A process started without ORT_DISABLE_TELEMETRY (as jpackage's macOS and Windows launchers start it) still
 * leaves no ONNX Runtime usage records in the home folder. Each case is a fresh JVM whose home is a temporary
 * folder: the variable must be in place before ONNX Runtime first starts in that process.
 */
class OrtTelemetryTest {
  static final Path REPO = Path.of(System.getProperty("latentstudio.repo", ".")).toAbsolutePath();

  /** ONNX Runtime records nothing where one of these is set: each child starts without them (the file says why). */
  static final Path QUIET_UNDER = REPO.resolve("installer/lib/ort-quiet-variables");

  @TempDir
  Path tmp;

  @Test
  void aRenderStartedWithoutTheVariableLeavesNoUsageRecords() throws Exception {
    assumeTrue(Runtime.version().feature() >= 22, "Java 21 cannot set the variable in-process");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path out = tmp.resolve("out");
    Result r = java(home, System.getProperty("java.class.path"), "org.latentstudio.app.Main", "run",
        REPO.resolve("graphs/txt2img.json").toString(), "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "sampler.steps=2", "-o", out.toString());
    assertEquals(0, r.exit(), r.output());
    try (Stream<Path> saved = Files.list(out)) {
      assertEquals(1, saved.count(), r.output());
    }
    assertEquals(List.of(), usageRecords(home), r.output());
  }

  /** The control: ONNX Runtime started without the variable and without our call does write them. */
  @Test
  void withoutTurningItOffOnnxRuntimeWritesThem() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    // a short class path: with a command line of some kilobytes (the tests' whole class path), ONNX Runtime 1.29's
    // usage recording crashed this program (SIGSEGV) before it printed anything
    String classPath = codeSource(OpenSession.class) + java.io.File.pathSeparator + codeSource(OrtEnvironment.class);
    Result r = java(home, classPath, OpenSession.class.getName(),
        TestModels.tinySd().resolve("vae_decoder/model.onnx").toString());
    assertEquals(0, r.exit(), r.output());
    assertFalse(usageRecords(home).isEmpty(), "ONNX Runtime wrote no usage records without the variable, so the "
        + "check above no longer shows anything: " + r.output());
  }

  /** A build on JDK 22 or newer has the part that changes the environment (the pom's java22 profile). */
  @Test
  void thisBuildCanSetAVariable() {
    assumeTrue(Runtime.version().feature() >= 22, "built and run on Java 21");
    assertEquals(null, NativeEnvironment.load().set("LATENTSTUDIO_TEST_VARIABLE", "1"));
  }

  /** Creates a session on the file in args[0], as the runtime would, with nothing before it. */
  public static final class OpenSession {
    public static void main(String[] args) throws Exception {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
          OrtSession s = env.createSession(args[0], o)) {
        System.out.println("opened " + s.getInputNames());
      }
    }
  }

  record Result(int exit, String output) {}

  /** Runs {@code mainClass} in a new JVM with {@code home} as home, without ORT_DISABLE_TELEMETRY or CI marks. */
  private static Result java(Path home, String classPath, String mainClass, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx1g", "-Duser.home=" + home,
        "-Dlatentstudio.home=" + REPO, "-cp", classPath, mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove(OrtTelemetry.VARIABLE);
    try (Stream<String> names = Files.lines(QUIET_UNDER)) {
      names.filter(name -> !name.startsWith("#")).forEach(pb.environment()::remove);
    }
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "still running after 120 s:\n" + output);
    }
    return new Result(p.exitValue(), output);
  }

  private static String codeSource(Class<?> c) throws java.net.URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** Whatever ONNX Runtime keeps for Microsoft under {@code home}. */
  private static List<Path> usageRecords(Path home) throws IOException {
    Path dir = home.resolve(".cache/Microsoft");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(home::relativize).toList();
    }
  }
}
