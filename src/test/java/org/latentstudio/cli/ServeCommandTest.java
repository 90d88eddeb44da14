package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.app.Settings;
import org.latentstudio.exec.CancellationToken;
import picocli.CommandLine;

/** Where `serve` saves pictures (--output, else the settings' output folder, as the studio's server does); Ctrl+C. */
class ServeCommandTest {
  @Test
  void picturesGoToTheSettingsOutputFolderUnlessOutputIsGiven(@TempDir Path tmp) {
    Properties props = new Properties();
    props.setProperty("latentstudio.output", tmp.resolve("pictures").toString());
    ServeCommand serve = new ServeCommand(new AppContext(Settings.defaults().withOverrides(props), notice -> {}),
        new CancellationToken());
    assertEquals(tmp.resolve("pictures"), serve.folders().output());

    new CommandLine(serve).parseArgs("--output", tmp.resolve("elsewhere").toString());
    assertEquals(tmp.resolve("elsewhere"), serve.folders().output());

    ServeCommand unset = new ServeCommand(new AppContext(Settings.defaults(), notice -> {}), new CancellationToken());
    assertEquals(AppPaths.userDir().resolve("output"), unset.folders().output());
  }

  /** Ctrl+C (the interrupt token, as CtrlC cancels it) stops the server: it used to print "cancelling" and go on. */
  @Test
  void ctrlCStopsTheServer(@TempDir Path tmp) throws Exception {
    StringWriter err = new StringWriter();
    CancellationToken ctrlC = new CancellationToken();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> LatentStudioCommand.execute(
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), ctrlC, "serve", "--port", "0",
        "--output", tmp.resolve("out").toString(), "--input", tmp.resolve("in").toString()));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!err.toString().contains("Ctrl+C stops") && System.nanoTime() < until && !exit.isDone()) {
      Thread.sleep(50);
    }
    assertTrue(err.toString().contains("Ctrl+C stops"), err::toString);
    ctrlC.cancel();
    assertEquals(LatentStudioCommand.CANCELLED, exit.get(10, TimeUnit.SECONDS), err::toString);
  }
}
