package org.latentstudio.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.AppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No filename_prefix puts a picture outside the output folder (issue 14: "." and "sub/.." wrote beside it, and
 * a symbolic link inside it was followed). Each case runs the default workflow on the bundled model and then
 * lists every file under the test's folder: the only pictures allowed are those inside the output folder.
 */
class OutputConfinementTest extends AppTest {
  @TempDir
  Path tmp;

  private RunResult save(Path output, String prefix) throws Exception {
    Graph g = Overrides.apply(new WorkflowCodec().read(Path.of("graphs/txt2img.json")).graph(), app.registry(),
        List.of("save.filename_prefix=" + prefix, "sampler.steps=2"));
    return app.executor().run(new RunRequest(g, Set.of(), new RunSettings(output, 0), ""), ExecutionListener.NONE,
        new CancellationToken());
  }

  private List<Path> picturesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".png")).toList();
    }
  }

  @Test
  void prefixesThatLeadOutAreRefusedAndWriteNothing() throws Exception {
    Path output = tmp.resolve("box/output");
    Files.createDirectories(output);
    for (String prefix : new String[] {".", "..", "sub/..", "sub/../..", "../escape", "a/./b", "/tmp/abs",
        "sub/", "a\u0000b"}) {
      RunResult r = save(output, prefix);
      assertEquals(RunResult.Status.FAILED, r.status(), () -> "prefix '" + prefix + "' was accepted");
      assertTrue(r.failureMessage().contains("node 'save' (SaveImage) failed: filename_prefix '" + prefix
          + "' cannot be used"), r.failureMessage());
      assertEquals(List.of(), picturesUnder(tmp), "prefix '" + prefix + "' wrote a picture");
    }
  }

  @Test
  void aSymbolicLinkInsideTheOutputFolderIsNotFollowed() throws Exception {
    Path output = tmp.resolve("output");
    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectories(output);
    Files.createDirectories(elsewhere);
    Files.createSymbolicLink(output.resolve("linked"), elsewhere);
    RunResult r = save(output, "linked/cat");
    assertEquals(RunResult.Status.FAILED, r.status());
    assertTrue(r.failureMessage().contains("linked is a symbolic link, which the studio does not follow"),
        r.failureMessage());
    Files.createSymbolicLink(output.resolve("deep"), elsewhere);
    assertEquals(RunResult.Status.FAILED, save(output, "deep/more/cat").status());
    assertEquals(List.of(), picturesUnder(elsewhere));
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertEquals(List.of(), files.toList(), "not even a folder is made through the link");
    }
  }

  @Test
  void subfoldersInsideTheOutputFolderWork() throws Exception {
    Path output = tmp.resolve("output");
    RunResult r = save(output, "renders/cats/cat");
    assertTrue(r.succeeded(), r::failureMessage);
    assertEquals(List.of(output.resolve("renders/cats/cat_00001.png")), picturesUnder(tmp));
  }

  @Test
  void anOutputFolderThatIsALinkIsTheUsersChoice() throws Exception {
    Path real = tmp.resolve("real");
    Files.createDirectories(real);
    Path output = Files.createSymbolicLink(tmp.resolve("output"), real);
    assertTrue(save(output, "cat").succeeded());
    assertEquals(1, picturesUnder(real).size());
  }

  /** The studio's and the server's output folder comes from the settings: a file there is named as the cause. */
  @Test
  void anOutputFolderThatIsAFileIsNamed() throws Exception {
    Path file = Files.writeString(tmp.resolve("output"), "mine");
    RunResult r = save(file, "in-a-file"); // a prefix of its own: a run the cache has seen saves nothing anew
    assertEquals(RunResult.Status.FAILED, r.status());
    assertTrue(r.failureMessage().contains("the output folder " + file + " is a file, not a folder; choose another"),
        r.failureMessage());
    assertEquals("mine", Files.readString(file));
  }
}
