package org.latentstudio.cli;

import java.io.PrintWriter;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.InvalidSettingException;
import org.latentstudio.app.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latentstudio} command and its subcommands. User mistakes end in a message, never a stack trace. */
@Command(name = "latentstudio", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Latent Studio: a node-graph studio for Stable Diffusion. Without a command it opens the studio.",
    subcommands = {RunCommand.class, ValidateCommand.class, ExportCommand.class, NodesCommand.class, BenchCommand.class,
        TokenizeCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class LatentStudioCommand {

  /** Exit codes shared by all subcommands. */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int CANCELLED = 130;

  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    Settings settings;
    try {
      settings = AppContext.loadSettings();
    } catch (InvalidSettingException e) {
      err.println("error: " + e.getMessage() + ". Correct it in the studio's Preferences or in the file.");
      return BAD_INPUT;
    }
    try (AppContext app = new AppContext(settings, err::println)) {
      CommandLine cli = new CommandLine(new LatentStudioCommand(), new ContextFactory(app));
      cli.setOut(out);
      cli.setErr(err);
      cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
        cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (Boolean.getBoolean("latentstudio.verbose")) {
          ex.printStackTrace(cmd.getErr());
        }
        return FAILED;
      });
      return cli.execute(args);
    }
  }

  /** Hands every command the shared {@link AppContext}. */
  private record ContextFactory(AppContext app) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (var c : cls.getDeclaredConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == AppContext.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(app));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
