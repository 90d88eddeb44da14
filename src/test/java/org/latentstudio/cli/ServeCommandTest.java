package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.app.Settings;
import picocli.CommandLine;

/** Where `serve` saves pictures: --output, else the settings' output folder, as the studio's server does. */
class ServeCommandTest {
  @Test
  void picturesGoToTheSettingsOutputFolderUnlessOutputIsGiven(@TempDir Path tmp) {
    Properties props = new Properties();
    props.setProperty("latentstudio.output", tmp.resolve("pictures").toString());
    ServeCommand serve = new ServeCommand(new AppContext(Settings.defaults().withOverrides(props), notice -> {}));
    assertEquals(tmp.resolve("pictures"), serve.folders().output());

    new CommandLine(serve).parseArgs("--output", tmp.resolve("elsewhere").toString());
    assertEquals(tmp.resolve("elsewhere"), serve.folders().output());

    ServeCommand unset = new ServeCommand(new AppContext(Settings.defaults(), notice -> {}));
    assertEquals(AppPaths.userDir().resolve("output"), unset.folders().output());
  }
}
