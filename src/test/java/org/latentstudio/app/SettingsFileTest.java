package org.latentstudio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {
  @TempDir
  Path tmp;

  private Settings custom() {
    return new Settings(List.of(tmp.resolve("models")), tmp.resolve("pictures"), Settings.Provider.CPU, 1, 3,
        8L << 30, 512L << 20, 3L << 30, 4, 60);
  }

  @Test
  void writesAndReadsBackEveryField() throws IOException {
    SettingsFile file = new SettingsFile(tmp.resolve("settings.json"));
    file.write(custom());
    assertEquals(custom(), file.read());
    String json = Files.readString(file.path());
    assertTrue(json.contains("\"sessionMemory\" : \"8g\""), json);
    assertTrue(json.contains("\"executionProvider\" : \"cpu\""), json);
    assertTrue(json.contains("\"savedModels\" : \"3g\""), json);
    try (var leftovers = Files.list(tmp)) {
      assertEquals(List.of(file.path()), leftovers.toList(), "the atomic write leaves no temp file");
    }
  }

  @Test
  void noFileMeansTheDefaultsAndMissingFieldsTakeThem() throws IOException {
    SettingsFile file = new SettingsFile(tmp.resolve("settings.json"));
    assertEquals(Settings.defaults(), file.read());
    Files.writeString(file.path(), "{ \"threads\": 2 }");
    Settings s = file.read();
    assertEquals(2, s.threads());
    assertEquals(Settings.defaults().previewEvery(), s.previewEvery());
    assertEquals(Settings.defaults().provider(), s.provider());
  }

  @Test
  void aBadValueIsRefusedNamingTheFileAndTheField() throws IOException {
    SettingsFile file = new SettingsFile(tmp.resolve("settings.json"));
    assertRefused(file, "{ \"threads\": -2 }", "threads: must be between 0 and 256");
    assertRefused(file, "{ \"threads\": \"four\" }", "threads: \"four\" is not a whole number");
    assertRefused(file, "{ \"sessionMemory\": \"lots\" }", "sessionMemory: 'lots' is not a size");
    assertRefused(file, "{ \"sessionMemory\": \"1m\" }", "sessionMemory: 1m is too small");
    assertRefused(file, "{ \"savedModels\": -1 }", "savedModels: must be 0 (save none) or more");
    assertRefused(file, "{ \"savedModels\": \"much\" }", "savedModels: 'much' is not a size");
    assertRefused(file, "{ \"executionProvider\": \"tpu\" }", "executionProvider: \"tpu\" is not a provider");
    assertRefused(file, "{ \"modelFolders\": \"/models\" }", "modelFolders: must be a list");
    assertRefused(file, "{ \"modelFolders\": [\"relative/models\"] }", "modelFolders: 'relative/models' is not an absolute");
    assertRefused(file, "{ \"autosaveSeconds\": 2 }", "autosaveSeconds: must be between 5 and 3600");
    assertRefused(file, "{ \"previewEvery\": 5000 }", "previewEvery: must be between 0 and 1000");
    assertRefused(file, "{ \"treads\": 2 }", "treads: is not a setting");
    assertRefused(file, "{ \"version\": 9 }", "version: 9 is not a settings version");
    assertRefused(file, "{ \"threads\": 2,, }", "the file is not valid JSON");
    assertRefused(file, "[1, 2]", "the file must hold one JSON object");
  }

  private static void assertRefused(SettingsFile file, String json, String expected) throws IOException {
    Files.writeString(file.path(), json);
    InvalidSettingException e = assertThrows(InvalidSettingException.class, file::read, json);
    assertTrue(e.getMessage().startsWith(file.path() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void systemPropertiesOverrideTheFileAndABadOneIsNamed() {
    Properties p = new Properties();
    p.setProperty("latentstudio.threads", "1");
    p.setProperty("latentstudio.cuda", "false");
    p.setProperty("latentstudio.session.memory", "512m");
    p.setProperty("latentstudio.session.files", "0");
    p.setProperty("latentstudio.models", tmp.resolve("extra").toString());
    Settings s = custom().withOverrides(p);
    assertEquals(1, s.threads());
    assertEquals(Settings.Provider.CPU, s.provider());
    assertEquals(512L << 20, s.sessionMemoryBytes());
    assertEquals(0, s.savedModelsBytes(), "latentstudio.session.files=0 saves none");
    assertEquals(List.of(tmp.resolve("extra"), tmp.resolve("models")), s.modelFolders(), "property folders first");
    assertEquals(custom().outputFolder(), s.outputFolder(), "what no property sets stays");
    assertEquals(4, s.previewEvery());

    p.setProperty("latentstudio.threads", "-1");
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> custom().withOverrides(p));
    assertEquals("latentstudio.threads", e.field());
    p.setProperty("latentstudio.threads", "x");
    assertTrue(assertThrows(InvalidSettingException.class, () -> custom().withOverrides(p)).getMessage()
        .startsWith("latentstudio.threads: 'x'"));
    p.remove("latentstudio.threads");
    p.setProperty("latentstudio.cuda", "yes");
    assertEquals("latentstudio.cuda", assertThrows(InvalidSettingException.class,
        () -> custom().withOverrides(p)).field());
  }

  @Test
  void runtimeAndRunSettingsFollowTheSettings() {
    Settings s = custom();
    assertFalse(s.runtime(new Properties()).preferCuda());
    assertEquals(3, s.runtime(new Properties()).intraOpThreads());
    assertEquals(8L << 30, s.runtime(new Properties()).sessionBudgetBytes());
    assertEquals(tmp.resolve("pictures"), s.runSettings(Path.of("fallback")).outputDir());
    assertEquals(4, s.runSettings(Path.of("fallback")).previewEvery());
    assertEquals(Path.of("fallback"), Settings.defaults().runSettings(Path.of("fallback")).outputDir());
    assertTrue(Settings.defaults().runtime(new Properties()).sessionBudgetBytes() > 0, "0 means half the RAM");
  }

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertEquals(8L << 30, Sizes.parse("f", "8g"));
    assertEquals(8L << 30, Sizes.parse("f", "8 GB"));
    assertEquals(1536L << 20, Sizes.parse("f", "1.5g"));
    assertEquals(1000, Sizes.parse("f", "1000"));
    assertEquals("1536m", Sizes.format(1536L << 20));
    assertEquals("0", Sizes.format(0));
    assertThrows(InvalidSettingException.class, () -> Sizes.parse("f", "-1g"));
  }
}
