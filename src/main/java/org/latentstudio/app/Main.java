package org.latentstudio.app;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.latentstudio.cli.LatentStudioCommand;
import org.latentstudio.runtime.OrtTelemetry;

/**
 * Entry point: with no arguments, or with one workflow or picture file (as a desktop's "Open with" passes it),
 * it opens the studio; otherwise it is the command line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StartupClock.mark("main");
    OrtTelemetry.turnOff(); // first: the environment may change only while no other thread reads it
    if (args.length == 0 || args.length == 1 && isOpenableFile(args[0])) {
      String noDisplay = noDisplay(System.getenv(), System.getProperty("os.name", ""),
          System.getProperty("glass.platform"));
      if (noDisplay != null) {
        System.err.println(noDisplay);
        System.exit(2);
      }
      try {
        org.latentstudio.ui.StudioApp.launchStudio(args);
      } catch (UnsupportedOperationException e) { // JavaFX: "Unable to open DISPLAY" (one set but not there)
        System.err.println("latentstudio: cannot open the studio's window (" + e.getMessage() + "). " + HEADLESS);
        System.exit(2);
      }
      return;
    }
    String unopenable = args.length == 1 ? notOpenable(args[0]) : null;
    if (unopenable != null) {
      System.err.println(unopenable);
      System.exit(LatentStudioCommand.BAD_INPUT);
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

  private static final String HEADLESS = "Without a screen, use the command line: latentstudio run WORKFLOW.json, "
      + "latentstudio serve (ComfyUI's API), latentstudio --help.";

  /**
   * Why the studio cannot open a window here, or null: on Linux and other X11/Wayland systems, neither DISPLAY nor
   * WAYLAND_DISPLAY set (over ssh, in a container, a service); JavaFX would otherwise end in a bare stack trace.
   * macOS and Windows always have a screen, and a chosen JavaFX platform (the tests' headless Monocle) needs none.
   */
  static String noDisplay(java.util.Map<String, String> env, String osName, String glassPlatform) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (glassPlatform != null || os.startsWith("mac") || os.startsWith("windows")) {
      return null;
    }
    if (isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"))) {
      return null;
    }
    return "latentstudio: no screen to open the studio on (DISPLAY and WAYLAND_DISPLAY are not set: over ssh, "
        + "try ssh -X). " + HEADLESS;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /**
   * Why the one argument, which names a file rather than a command or an option, is not one the studio opens; null
   * otherwise (a mistyped command is left to the command line, which suggests the nearest).
   */
  static String notOpenable(String arg) {
    if (arg.startsWith("-") || LatentStudioCommand.isCommand(arg)) {
      return null;
    }
    boolean kind = openableName(arg);
    Path path;
    try {
      path = Path.of(arg);
    } catch (InvalidPathException e) {
      return null;
    }
    String opens = "; the studio opens a workflow (.json) or a picture that carries one (.png), and "
        + "latentstudio run FILE runs one";
    if (kind && !Files.exists(path)) {
      return "latentstudio: " + arg + " does not exist" + opens;
    }
    if (Files.isDirectory(path)) {
      return "latentstudio: " + arg + " is a folder" + opens;
    }
    if (!kind && Files.isRegularFile(path)) {
      return "latentstudio: " + arg + " is neither a workflow nor a picture" + opens;
    }
    return null;
  }

  /** A workflow (.json) or a picture that may carry one (.png) that exists: never a command name. */
  static boolean isOpenableFile(String arg) {
    return openableName(arg) && Files.isRegularFile(Path.of(arg));
  }

  /** A name the studio opens: a workflow (.json) or a picture (.png), in any case. */
  private static boolean openableName(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    return lower.endsWith(".json") || lower.endsWith(".png");
  }
}
