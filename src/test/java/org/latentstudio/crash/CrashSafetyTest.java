package org.latentstudio.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.PngText;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.ui.CrashChild;
import org.latentstudio.ui.files.Recovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at a random moment leaves no damage (issue 14): a workflow being saved is the old file or the new one,
 * never a mix; a picture being written never appears half-written under its own name; and the studio killed
 * during a run leaves a recovery copy of the unsaved graph for the next start. Each case runs {@link CrashChild}
 * as a process of its own and SIGKILLs it.
 */
class CrashSafetyTest {
  static final Path REPO = Path.of(System.getProperty("latentstudio.repo", ".")).toAbsolutePath();

  @TempDir
  Path tmp;

  /** Starts the child, waits for its "under way" line, lets it work {@code millis}, then kills it with SIGKILL. */
  static void killDuring(long millis, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx3g", "-Dprism.order=sw", "-Dglass.platform=Monocle",
        "-Dmonocle.platform=Headless", "-Djava.awt.headless=true", "-Dlatentstudio.home=" + REPO,
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
        if (line.equals("saving") || line.equals("running")) {
          Thread.sleep(millis);
          new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the child did not die");
    }
    assertEquals(137, p.exitValue(), () -> "the child ended by itself:\n" + String.join("\n", lines));
  }

  @Test
  void aWorkflowKilledWhileSavingIsTheOldOrTheNewNeverAMix() throws Exception {
    Path file = tmp.resolve("work.json");
    WorkflowCodec codec = new WorkflowCodec();
    Graph a = CrashChild.bigWorkflow(1500, 'a').graph();
    Graph b = CrashChild.bigWorkflow(1500, 'b').graph();
    long[] kills = {150, 420, 777, 1100, 1650};
    int[] seen = new int[2];
    for (long ms : kills) {
      killDuring(ms, "save", file.toString());
      Graph after = codec.read(file).graph(); // throws on a torn or truncated file
      assertTrue(after.equals(a) || after.equals(b), "killed after " + ms + " ms: the file is neither version");
      seen[after.equals(a) ? 0 : 1]++;
    }
    System.out.println("kill -9 during saves: the old version " + seen[0] + " times, the new " + seen[1]);
  }

  @Test
  void aPictureKilledWhileWritingIsNeverHalfUnderItsName() throws Exception {
    Path dir = tmp.resolve("out");
    for (long ms : new long[] {100, 350, 800, 1300}) {
      killDuring(ms, "png", dir.toString());
    }
    int pictures = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().endsWith(".png")) {
          pictures++;
          assertEquals(1024, ImageIO.read(f.toFile()).getWidth(), f + " is damaged");
          assertEquals(Map.of("workflow", "{}"), PngText.read(f), f + " lost its workflow");
        } else {
          assertTrue(f.getFileName().toString().endsWith(".png.tmp"), "unexpected " + f);
        }
      }
    }
    assertTrue(pictures > 0, "no picture was finished: the kills came too early to test anything");
  }

  @Test
  void theStudioKilledDuringARunLeavesItsUnsavedGraphForTheNextStart() throws Exception {
    Path user = tmp.resolve("user");
    killDuring(3000, "studio", user.toString(), REPO.toString());
    Graph expected = new WorkflowCodec().read(REPO.resolve("graphs/txt2img.json")).graph();
    expected = new SetWidget(NodeId.of("positive"), "text", "a crash test, unsaved").apply(expected);
    expected = new SetWidget(NodeId.of("sampler"), "steps", 10_000L).apply(expected);
    List<Recovery.Found> found = new Recovery(user).orphans();
    assertEquals(1, found.size(), "one recovery copy: " + found);
    Workflow restored = found.get(0).workflow();
    assertEquals(expected, restored.graph());
    assertEquals(REPO.resolve("graphs/txt2img.json"), found.get(0).originalFile());
  }
}
