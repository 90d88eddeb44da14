package org.latentstudio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.latentstudio.cli.LatentStudioCommand;

/**
 * Entry point: with no arguments, or with one workflow or picture file (as a desktop's "Open with" passes it),
 * it opens the studio; otherwise it is the command line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StartupClock.mark("main");
    if (args.length == 0 || args.length == 1 && isOpenableFile(args[0])) {
      org.latentstudio.ui.StudioApp.launchStudio(args);
      return;
    }
    int code = LatentStudioCommand.execute(args);
    if (code == 0 && STUDIO_TRAINING.equals(System.getProperty(TRAINING))) {
      org.latentstudio.ui.StudioApp.launchStudio(new String[0]);
    }
    System.exit(code);
  }

  /**
   * {@code -Dlatentstudio.aot.training=studio}: the packager's training run for the Java AOT cache
   * (installer/lib/train-aot-cache). After the command, the studio opens, runs its default graph and quits, so
   * one training process leaves the classes, linked lambdas and profiles of both the command line and the studio
   * in the cache (trained on the command line alone, the window took 2.3-2.8 s to show, loading JavaFX cold).
   */
  public static final String TRAINING = "latentstudio.aot.training";
  public static final String STUDIO_TRAINING = "studio";

  /** A workflow (.json) or a picture that may carry one (.png) that exists: never a command name. */
  static boolean isOpenableFile(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    return (lower.endsWith(".json") || lower.endsWith(".png")) && Files.isRegularFile(Path.of(arg));
  }
}
