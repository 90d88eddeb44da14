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
    System.exit(LatentStudioCommand.execute(args));
  }

  /** A workflow (.json) or a picture that may carry one (.png) that exists: never a command name. */
  static boolean isOpenableFile(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    return (lower.endsWith(".json") || lower.endsWith(".png")) && Files.isRegularFile(Path.of(arg));
  }
}
