package org.latentstudio.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.InvalidSettingException;
import org.latentstudio.app.Settings;
import org.latentstudio.app.StartupClock;
import org.latentstudio.exec.CancellationToken;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latentstudio} command and its subcommands. User mistakes end in a message, never a stack trace. */
@Command(name = "latentstudio", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Latent Studio: a node-graph studio for Stable Diffusion. Without a command it opens the studio.")
public final class LatentStudioCommand {
  /**
   * The subcommands by name, in the order help lists them. They are added when the command line is built, and
   * only the one being run when it is named first: picocli reads each command's annotations by reflection at
   * every start, which is work a cold start need not do for the others.
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("run", RunCommand.class);
    m.put("validate", ValidateCommand.class);
    m.put("export", ExportCommand.class);
    m.put("nodes", NodesCommand.class);
    m.put("bench", BenchCommand.class);
    m.put("tokenize", TokenizeCommand.class);
    m.put("serve", ServeCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return m;
  }

  /** Whether {@code name} is one of the commands ({@code run}, {@code serve}, ...). */
  public static boolean isCommand(String name) {
    return SUBCOMMANDS.containsKey(name);
  }

  /** Exit codes shared by all subcommands. */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int CANCELLED = 130;
  /** Commands that load models, for which ONNX Runtime is started before anything else. */
  private static final Set<String> RENDERING = Set.of("run", "bench", "serve");

  /** The command line of a process of its own: Ctrl-C cancels the command (see {@link CtrlC}). */
  public static int execute(String... args) {
    PrintWriter err = new PrintWriter(System.err, true);
    CancellationToken ctrlC = CtrlC.install(err);
    return execute(new PrintWriter(System.out, true), err, ctrlC, args);
  }

  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(out, err, new CancellationToken(), args);
  }

  /**
   * @param interrupt cancelled when the user interrupts; a command that was interrupted exits
   *                  {@value #CANCELLED} even if its work was done by then
   */
  public static int execute(PrintWriter out, PrintWriter err, CancellationToken interrupt, String... args) {
    Settings settings;
    try {
      settings = AppContext.loadSettings();
    } catch (InvalidSettingException e) {
      err.println("error: " + e.getMessage() + ". Correct it in the studio's Preferences or in the file.");
      return BAD_INPUT;
    }
    StartupClock.mark("settings read");
    int code;
    // run --quiet prints only results and errors, so not which execution provider ONNX Runtime uses either
    boolean quiet = args.length > 0 && args[0].equals("run") && Arrays.asList(args).contains("--quiet");
    try (AppContext app = new AppContext(settings, quiet ? notice -> { } : err::println)) {
      StartupClock.mark("app context made");
      boolean help = Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help"));
      boolean version = Arrays.stream(args).anyMatch(a -> a.equals("-V") || a.equals("--version"));
      if (args.length > 0 && RENDERING.contains(args[0]) && !help && !version) {
        app.startRuntimeEarly(); // loads while the command line is built and the workflow read
      }
      // read on the second core while picocli builds and parses the command line
      WorkflowPreread preread = WorkflowPreread.start(app, args);
      ContextFactory factory = new ContextFactory(app, interrupt, preread);
      // "run" (and no help asked for) needs only "run"; anything else gets them all, so help and errors list them
      boolean one = args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help") && !help;
      CommandLine cli = commandLine(factory, name -> !one || name.equals(args[0]));
      cli.setOut(out);
      cli.setErr(err);
      cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
        cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (Boolean.getBoolean("latentstudio.verbose")) {
          ex.printStackTrace(cmd.getErr());
        }
        return FAILED;
      });
      StartupClock.mark("command line built");
      code = cli.execute(args);
    }
    if (interrupt.isCancelled() || code == CANCELLED) {
      err.println("cancelled");
      return CANCELLED;
    }
    return code;
  }

  /** The command line with the subcommands {@code wanted} accepts, each made by {@code factory}. */
  static CommandLine commandLine(CommandLine.IFactory factory, java.util.function.Predicate<String> wanted) {
    CommandLine cli = new CommandLine(new LatentStudioCommand(), factory);
    for (var e : SUBCOMMANDS.entrySet()) {
      if (wanted.test(e.getKey())) {
        cli.addSubcommand(e.getKey(), new CommandLine(e.getValue(), factory));
      }
    }
    return cli;
  }

  /**
   * The whole command line, for a bash completion script ({@link BashCompletion}): its commands are described,
   * never run, so they get no {@link AppContext}.
   */
  static CommandLine forDescription() {
    return commandLine(new ContextFactory(null, new CancellationToken(), null), name -> true);
  }

  /**
   * Hands every command the shared {@link AppContext}, the commands that run the interrupt token, and the workflow
   * options the workflow read ahead.
   */
  private record ContextFactory(AppContext app, CancellationToken interrupt, WorkflowPreread preread)
      implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == WorkflowOptions.class) {
        return cls.cast(new WorkflowOptions(preread));
      }
      for (var c : cls.getDeclaredConstructors()) {
        Class<?>[] p = c.getParameterTypes();
        if (p.length == 2 && p[0] == AppContext.class && p[1] == CancellationToken.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(app, interrupt));
        }
        if (p.length == 1 && p[0] == AppContext.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(app));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
