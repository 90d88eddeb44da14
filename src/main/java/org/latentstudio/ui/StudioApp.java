package org.latentstudio.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.stage.Stage;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.ui.models.LibraryModelCatalog;

/** The studio application: the window with the real executor, the user's folders and real dialogs. */
public final class StudioApp extends Application {
  public static final String TITLE = StudioWindow.TITLE;

  private AppContext context;

  public static void launchStudio(String[] args) {
    Application.launch(StudioApp.class, args);
  }

  /** The configuration the installed studio uses. */
  public static StudioConfig defaultConfig(AppContext context, Application app) {
    Path user = AppPaths.userDir();
    Path output = user.resolve("output");
    LibraryModelCatalog models = new LibraryModelCatalog(context.models());
    return new StudioConfig(context.registry(), context.executor(), user, output, AppPaths.defaultWorkflow(), models,
        FxDialogs::new, new SystemDesktop(app), 30, true);
  }

  @Override
  public void start(Stage stage) {
    context = new AppContext();
    StudioConfig cfg = defaultConfig(context, this);
    try {
      Files.createDirectories(cfg.userDir());
    } catch (IOException e) {
      // the window reports what fails later (saving, recovery)
    }
    new StudioWindow(stage, cfg).show();
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
