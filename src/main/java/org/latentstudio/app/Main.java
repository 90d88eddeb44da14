package org.latentstudio.app;

import org.latentstudio.cli.LatentStudioCommand;

/** Entry point: with no arguments it opens the studio, otherwise it is the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      org.latentstudio.ui.StudioApp.launchStudio(args);
      return;
    }
    System.exit(LatentStudioCommand.execute(args));
  }
}
