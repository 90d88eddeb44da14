package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of keys is the list Help shows: a shortcut added to one must be added to the other. */
class ShortcutsReadmeTest {
  @Test
  void everyShortcutIsInTheReadme() throws Exception {
    Path readme = Path.of(System.getProperty("latentstudio.repo", ".")).resolve("README.md");
    assumeTrue(Files.isRegularFile(readme), "no README.md next to the build");
    String text = Files.readString(readme);
    for (Shortcuts.Shortcut s : Shortcuts.ALL) {
      String row = "| " + s.keys() + " | " + s.action() + " |";
      assertTrue(text.contains(row), "README.md lacks the row " + row);
    }
  }
}
