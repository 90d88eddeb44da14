package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.latentstudio.app.Settings;
import org.latentstudio.app.SettingsFile;
import org.latentstudio.exec.RunSettings;

class PreferencesTest extends StudioTestBase {

  @Test
  void savedPreferencesGoToTheFileAndTheNextRunSavesToTheNewOutputFolder() throws Exception {
    Path pictures = tmp.resolve("pictures");
    Settings edited = new Settings(List.of(), pictures, Settings.Provider.CPU, 0, 1, 0, 64L << 20, 1L << 30, 0, 0);
    dialogs.settingsAnswers.add(edited);
    fx(() -> studio.preferences());
    assertEquals(List.of("preferences"), dialogs.asked);
    assertEquals(edited, new SettingsFile(tmp.resolve("user/settings.json")).read());
    RunSettings now = fx(() -> studio.runs().runSettings());
    assertEquals(pictures, now.outputDir());
    assertEquals(0, now.previewEvery());

    load(RunPanelTest.pipeline(2, 1));
    fx(() -> studio.run());
    waitUntil("the run", () -> studio.runs().entries().get(0).isFinished());
    try (var files = Files.list(pictures)) {
      assertEquals(1, files.count(), "the picture went to the new output folder");
    }
    assertFalse(Files.exists(tmp.resolve("output")), "and not to the old one");
  }

  @Test
  void cancellingChangesNothing() {
    fx(() -> studio.preferences());
    assertFalse(Files.exists(tmp.resolve("user/settings.json")));
    assertEquals(tmp.resolve("output"), fx(() -> studio.runs().runSettings().outputDir()));
  }

  @Test
  void theDialogRefusesABadValueNamingTheFieldAndStaysOpen() {
    PreferencesDialog prefs = fx(() -> new PreferencesDialog(studio.stage(), Settings.defaults(), tmp.resolve("out")));
    fx(() -> prefs.dialog().show());
    robot.doubleClickOn("#pref-threads").eraseText(3).write("-4");
    robot.clickOn("#pref-ok");
    Label problem = robot.lookup("#pref-problem").queryAs(Label.class);
    assertTrue(problem.getText().startsWith("threads: must be between 0 and 256"), problem.getText());
    assertTrue(fx(() -> prefs.dialog().isShowing()), "OK is refused while a value is bad");

    fx(() -> robot.lookup("#pref-threads").queryAs(TextField.class).setText("2"));
    fx(() -> robot.lookup("#pref-sessionMemory").queryAs(TextField.class).setText("a lot"));
    robot.clickOn("#pref-ok");
    assertTrue(problem.getText().startsWith("sessionMemory: 'a lot' is not a size"), problem.getText());

    fx(() -> robot.lookup("#pref-sessionMemory").queryAs(TextField.class).setText("6g"));
    Path notes = tmp.resolve("notes.txt");
    fx(() -> Files.writeString(notes, "mine"));
    fx(() -> robot.lookup("#pref-outputFolder").queryAs(TextField.class).setText(notes.toString()));
    robot.clickOn("#pref-ok");
    assertEquals("outputFolder: " + notes + " is a file, not a folder", problem.getText());
    assertTrue(fx(() -> prefs.dialog().isShowing()), "a picture could never be saved there");

    fx(() -> robot.lookup("#pref-outputFolder").queryAs(TextField.class).setText(tmp.resolve("pictures").toString()));
    robot.clickOn("#pref-ok");
    assertFalse(fx(() -> prefs.dialog().isShowing()));
    Settings result = fx(() -> prefs.dialog().getResult());
    assertEquals(2, result.threads());
    assertEquals(6L << 30, result.sessionMemoryBytes());
  }
}
