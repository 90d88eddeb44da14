package org.latentstudio.app;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the studio where there is no screen, or on a file it cannot open, says so and what to use instead, not a
 * stack trace or picocli's "Unmatched argument".
 */
class MainTest {
  @Test
  void noScreenOnLinuxIsToldWithTheCommandLineInstead() {
    String told = Main.noDisplay(Map.of("HOME", "/home/u"), "Linux", null);
    assertTrue(told.contains("DISPLAY and WAYLAND_DISPLAY are not set"), told);
    assertTrue(told.contains("latentstudio run WORKFLOW.json"), told);
    assertNull(Main.noDisplay(Map.of("DISPLAY", ":0"), "Linux", null));
    assertNull(Main.noDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
    assertTrue(Main.noDisplay(Map.of("DISPLAY", " "), "Linux", null) != null, "a blank DISPLAY is none");
    assertNull(Main.noDisplay(Map.of(), "Mac OS X", null));
    assertNull(Main.noDisplay(Map.of(), "Windows 11", null));
    assertNull(Main.noDisplay(Map.of(), "Linux", "Monocle"), "a chosen JavaFX platform needs no display");
  }

  /** One file named on the command line opens the studio; one it cannot open says why, not "Unmatched argument". */
  @Test
  void aFileTheStudioCannotOpenIsNamedWithTheReason(@TempDir Path tmp) throws Exception {
    Path notes = Files.writeString(tmp.resolve("notes.txt"), "hello");
    Path flow = Files.writeString(tmp.resolve("flow.json"), "{}");
    assertTrue(Main.notOpenable(tmp.resolve("flwo.json").toString()).endsWith("flwo.json does not exist; the studio "
        + "opens a workflow (.json) or a picture that carries one (.png), and latentstudio run FILE runs one"));
    assertTrue(Main.notOpenable(notes.toString()).contains("notes.txt is neither a workflow nor a picture"));
    assertTrue(Main.notOpenable(tmp.toString()).contains("is a folder"));
    assertNull(Main.notOpenable(flow.toString()), "the studio opens it");
    assertTrue(Main.isOpenableFile(flow.toString()));
    for (String commandLine : new String[] {"run", "serve", "--help", "-V", "rnu"}) {
      assertNull(Main.notOpenable(commandLine), commandLine + " is for the command line");
    }
  }
}
