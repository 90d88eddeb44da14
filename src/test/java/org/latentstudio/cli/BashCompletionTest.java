package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script the .deb installs, run by bash as a user's Tab key would. */
class BashCompletionTest {
  @TempDir
  Path tmp;

  @Test
  void completesEveryCommandByName() throws Exception {
    assertEquals("run validate export nodes bench tokenize serve help", complete("latentstudio", ""));
    assertEquals("run", complete("latentstudio", "ru"));
    assertEquals("bench", complete("latentstudio", "be"));
  }

  @Test
  void completesEachCommandsOwnOptions() throws Exception {
    assertEquals("--output", complete("latentstudio", "run", "--ou"));
    assertEquals("--port", complete("latentstudio", "serve", "--p"));
    assertEquals("--runs", complete("latentstudio", "bench", "--ru"));
  }

  @Test
  void completesFileNamesForAWorkflow() throws Exception {
    Files.writeString(tmp.resolve("portrait.json"), "{}");
    assertEquals(tmp.resolve("portrait.json").toString(), complete("latentstudio", "run", tmp + "/por"));
  }

  /** After --set (and --vary): the inputs of the workflow named earlier on the line, as the command reads them. */
  @Test
  void completesTheWorkflowsInputsAfterSet() throws Exception {
    String command = launcher().toString();
    String workflow = Path.of(System.getProperty("latentstudio.repo", ".")).resolve("graphs/txt2img.json").toString();
    assertEquals("sampler.seed= sampler.steps= sampler.sampler_name= sampler.scheduler=",
        complete(command, "run", workflow, "--set", "sampler.s"));
    assertEquals("positive.text=", complete(command, "bench", workflow, "--runs", "3", "--set", "pos"));
    assertEquals("sampler.cfg=", complete(command, "bench", workflow, "--vary", "sampler.c"), "bench's --vary too");
    assertEquals("", complete(command, "run", "--set", "sampler.s"), "no workflow on the line yet");
    String photo = Files.writeString(tmp.resolve("photo.png"), "not a picture").toString();
    assertEquals("sampler.steps=", complete(command, "run", "--set", "mask.image", "=", photo, workflow, "--set",
        "sampler.st"), "a --set value that names a file is not the workflow");
  }

  /** A workflow (and a launcher) in a folder with a space: the word as typed, quoted or with backslashes. */
  @Test
  void findsAWorkflowWhosePathIsQuoted() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("my flows"));
    Path workflow = Files.copy(Path.of(System.getProperty("latentstudio.repo", ".")).resolve("graphs/txt2img.json"),
        folder.resolve("it's mine.json"));
    String command = Files.move(launcher(), folder.resolve("latentstudio")).toString().replace(" ", "\\ ");
    String escaped = workflow.toString().replace(" ", "\\ ").replace("'", "\\'");
    assertEquals("sampler.steps=", complete(command, "run", escaped, "--set", "sampler.st"), "backslashes");
    String quoted = "\"" + workflow + "\"";
    assertEquals("sampler.steps=", complete(command, "run", quoted, "--set", "sampler.st"), "double quotes");
    String mixed = "'" + folder + "'/it\\'s\\ mine.json";
    assertEquals("euler euler_ancestral", complete(command, "run", mixed, "--set", "sampler.sampler_name", "=", "eu"),
        "single quotes and backslashes");
  }

  /** After --set NODE_ID.INPUT= (bash makes the '=' a word): the values it takes, where they come from a list. */
  @Test
  void completesAListedValueAfterSet() throws Exception {
    String command = launcher().toString();
    String workflow = Path.of(System.getProperty("latentstudio.repo", ".")).resolve("graphs/txt2img.json").toString();
    assertEquals("euler euler_ancestral", complete(command, "run", workflow, "--set", "sampler.sampler_name", "=",
        "eu"));
    assertEquals("shapes", complete(command, "run", workflow, "--set", "checkpoint.path", "=", "sha"),
        "the bundled model, by its name in the model folders");
    assertEquals("", complete(command, "run", workflow, "--set", "sampler.steps", "=", "2"), "a free value");
  }

  /** A command that runs this build's command line in a fresh JVM, as the installed latentstudio does. */
  private Path launcher() throws IOException {
    Path script = tmp.resolve("latentstudio");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -Dlatentstudio.user.dir='"
        + tmp.resolve("user") + "' -cp '" + System.getProperty("java.class.path")
        + "' org.latentstudio.app.Main \"$@\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  /** What bash offers for the last of {@code words}, space-separated. */
  private String complete(String... words) throws IOException, InterruptedException {
    Path script = tmp.resolve("latentstudio-completion.bash");
    Files.writeString(script, BashCompletion.script());
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w.replace("'", "'\\''")).append('\'');
    }
    String program = "source \"$1\"; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
        + "; _complete_latentstudio; echo \"${COMPREPLY[*]}\"";
    List<String> command = new ArrayList<>(List.of("bash", "-c", program, "bash", script.toString()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("bash did not finish");
    }
    return out;
  }
}
