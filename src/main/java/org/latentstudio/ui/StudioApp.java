package org.latentstudio.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.app.ErrorLog;
import org.latentstudio.app.InvalidSettingException;
import org.latentstudio.app.Settings;
import org.latentstudio.app.StartupClock;
import org.latentstudio.app.Main;
import org.latentstudio.ui.models.LibraryModelCatalog;

/**
 * The studio application: the window with the real executor, the user's settings, folders and real dialogs.
 * Its one optional argument is a workflow or picture to open.
 */
public final class StudioApp extends Application {
  public static final String TITLE = StudioWindow.TITLE;

  private AppContext context;

  /**
   * JavaFX runs from the class path here (the installer's jars as the tests', and ControlsFX then needs no
   * --add-exports into JavaFX's modules); JavaFX 21 calls that "unsupported" in a warning at every start, which
   * tells a user nothing. Its other warnings still show. Held in a field: java.util.logging holds loggers weakly,
   * and a collected one would lose the filter.
   */
  private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");

  public static void launchStudio(String[] args) {
    JAVAFX_LOG.setFilter(r -> r.getMessage() == null
        || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
    Application.launch(StudioApp.class, args);
  }

  /** The configuration the installed studio uses. */
  public static StudioConfig defaultConfig(AppContext context, Application app) {
    Path user = AppPaths.userDir();
    Settings s = context.settings();
    Path output = s.outputFolder() != null ? s.outputFolder() : user.resolve("output");
    LibraryModelCatalog models = new LibraryModelCatalog(context.models());
    return new StudioConfig(context.registry(), context.executor(), user, output, AppPaths.defaultWorkflow(), models,
        FxDialogs::new, new SystemDesktop(app), s.previewEvery(), s.autosaveSeconds(), true);
  }

  @Override
  public void start(Stage stage) {
    StartupClock.mark("JavaFX started");
    String settingsProblem = null;
    Settings settings;
    try {
      settings = AppContext.loadSettings();
    } catch (InvalidSettingException e) {
      settingsProblem = e.getMessage();
      settings = Settings.defaults();
    }
    context = new AppContext(settings, System.err::println);
    List<String> args = getParameters().getRaw();
    Path file = args.isEmpty() ? null : Path.of(args.get(0)).toAbsolutePath();
    StudioConfig cfg = defaultConfig(context, this);
    if (file != null) {
      cfg = cfg.withDefaultWorkflow(null);
    }
    try {
      Files.createDirectories(cfg.userDir());
    } catch (IOException e) {
      // the window reports what fails later (saving, recovery)
    }
    StartupClock.mark("settings and app context");
    StudioWindow window = new StudioWindow(stage, cfg);
    new UnexpectedErrors(ErrorLog.in(cfg.userDir()), cfg.dialogs().apply(stage), window::status).install();
    StartupClock.mark("window built");
    if (StartupClock.enabled()) {
      StartupTrace.attach(window);
    }
    window.show();
    StartupClock.mark("window shown");
    context.startRuntimeEarly(); // the first run then need not wait for ONNX Runtime to load
    if (Main.STUDIO_TRAINING.equals(System.getProperty(Main.TRAINING))) {
      runAndQuit(window);
    }
    if (file != null) {
      window.openPath(file);
    }
    // the first picture then need not wait for the sessions: they are made while the user looks at the graph,
    // and again when what it samples with changes (another file, checkpoint or size)
    context.prefetchSessions(window.document().graph());
    window.document().graphProperty().addListener((o, was, now) -> context.prefetchSessions(now));
    if (settingsProblem != null) {
      String problem = settingsProblem;
      Dialogs dialogs = cfg.dialogs().apply(stage);
      Platform.runLater(() -> {
        window.status("Started with the default settings: " + problem);
        dialogs.error("The settings file has a bad value",
            problem + "\n\nLatent Studio started with the default settings. Fix the value in Edit → Preferences.");
      });
    }
  }

  /** The AOT training run ({@link Main#TRAINING}): the graph is run once, as Ctrl+Enter would, then the app quits. */
  private static void runAndQuit(StudioWindow window) {
    window.runs().busyProperty().addListener((o, was, busy) -> {
      if (was && !busy) {
        Platform.exit();
      }
    });
    Platform.runLater(window::run);
  }

  @Override
  public void stop() {
    if (context != null) {
      context.close();
    }
  }

  /** Opens folders and files with the desktop's own programs. */
  private record SystemDesktop(Application app) implements DesktopActions {
    @Override
    public void openFolder(Path folder) {
      try {
        Files.createDirectories(folder); // the output folder, before the first picture is saved
      } catch (IOException e) {
        // the desktop then shows nothing, as it would for any folder it cannot open
      }
      app.getHostServices().showDocument(folder.toUri().toString());
    }

    @Override
    public void openFile(Path file) {
      app.getHostServices().showDocument(file.toUri().toString());
    }
  }
}
