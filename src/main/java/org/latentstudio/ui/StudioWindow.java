package org.latentstudio.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.InvalidSettingException;
import org.latentstudio.app.Settings;
import org.latentstudio.app.SettingsFile;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.IoErrors;
import org.latentstudio.runtime.OptimizedModels;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.ui.canvas.CanvasHost;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.files.Recovery;
import org.latentstudio.ui.models.ModelEntry;
import org.latentstudio.ui.panels.GalleryStrip;
import org.latentstudio.ui.panels.ImageViewer;
import org.latentstudio.ui.panels.ModelsPanel;
import org.latentstudio.ui.panels.NodeLibrary;
import org.latentstudio.ui.panels.PreviewPanel;
import org.latentstudio.ui.panels.ProblemsPanel;
import org.latentstudio.ui.panels.PropertiesPanel;
import org.latentstudio.ui.panels.QueuePanel;
import org.latentstudio.ui.run.RunController;
import org.latentstudio.ui.run.RunEntry;

/**
 * The studio window. It makes one {@link Document}, the canvas and the panels, and wires them together; the
 * work is done by its parts: {@link StudioLayout} (where the panels sit), {@link StudioMenus},
 * {@link StudioToolBar} and {@link StatusBar}, {@link FileActions} with {@link Autosave} (files, the recovery
 * copy, the window title), {@link RunActions} (queueing runs and showing them on the nodes),
 * {@link HelpWindows} and {@link WindowPlacement}. Its public methods are what the app and the tests drive.
 */
public final class StudioWindow {
  public static final String TITLE = "Latent Studio";

  private final Stage stage;
  private final StudioConfig cfg;
  private final Document doc = new Document();
  private final Dialogs dialogs;
  private final GraphCanvas canvas;
  private final StatusBar statusBar;
  private final FileActions files;
  private final RunActions runActions;
  private final RunController runs;
  private final WindowPlacement placement;
  private final NodeLibrary library;
  private final ModelsPanel modelsPanel;
  private final GalleryStrip gallery;
  private final QueuePanel queuePanel;
  private final ProblemsPanel problemsPanel;
  private final PreviewPanel previewPanel;
  private final StudioServer server;
  private ImageViewer viewer;
  private boolean closed;

  public StudioWindow(Stage stage, StudioConfig cfg) {
    this.stage = stage;
    this.cfg = cfg;
    this.dialogs = cfg.dialogs().apply(stage);
    this.placement = new WindowPlacement(stage, cfg.userDir().resolve("window.json"));
    Theme.installUserAgent();

    canvas = new GraphCanvas(doc, cfg.registry());
    canvas.setHost(new Host());
    statusBar = new StatusBar(doc, canvas);
    server = new StudioServer(cfg);
    statusBar.bindServer(server.labelProperty());
    files = new FileActions(cfg, doc, canvas, dialogs, this::status, this::showImportProblems);
    runActions = new RunActions(cfg, stage, doc, canvas, files::documentName, this::status);
    runs = runActions.controller();

    library = new NodeLibrary(cfg.registry(), canvas.nodeSearch(), s -> canvas.addNode(s, canvas.viewCenter()));
    String folders = cfg.models().folders().isEmpty() ? "the models folders"
        : String.join(" or ", cfg.models().folders().stream().map(Path::toString).toList());
    modelsPanel = new ModelsPanel(cfg.models(), folders, this::addModel);
    gallery = new GalleryStrip(runs, cfg.desktop(), this::viewImage, this::openPath);
    queuePanel = new QueuePanel(runs);
    problemsPanel = new ProblemsPanel(runs, this::reveal);
    previewPanel = new PreviewPanel(runs);
    PropertiesPanel properties = new PropertiesPanel(doc, cfg.registry(),
        Bindings.createObjectBinding(() -> canvas.selection().size() == 1 ? canvas.selection().iterator().next()
            : null, canvas.selection()));

    BorderPane root = new BorderPane(
        StudioLayout.build(library, modelsPanel, canvas, gallery, previewPanel, queuePanel, problemsPanel,
            properties, runs),
        new VBox(StudioMenus.build(this, files.recent()), StudioToolBar.build(runs, canvas, this::run)),
        null, statusBar.node(), null);
    root.setId("studio-root");
    Scene scene = ScreenFit.scene(root, 1440, 900);
    Theme.apply(scene);
    stage.setScene(scene);
    stage.setMinWidth(800);
    stage.setMinHeight(560);
    placement.restore();
    stage.titleProperty().bind(files.windowTitle());
    stage.setOnCloseRequest(e -> {
      if (!confirmDiscard()) {
        e.consume();
      } else {
        shutdown();
      }
    });
    files.autosave().start(cfg.autosaveSeconds());
  }

  public void status(String message) {
    statusBar.show(message);
  }

  // ---------------------------------------------------------------- start and close

  /** Shows the window, restoring a crashed session's work or opening the default workflow. */
  public void show() {
    stage.show();
    start();
    canvas.requestFocus();
  }

  /** What happens once the window is up: offer recovery, else open the default workflow. */
  public void start() {
    files.openAtStart();
  }

  private void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop();
    placement.save();
    files.autosave().stopTimer();
    runs.cancelAll();
    files.autosave().close();
  }

  public void quit() {
    if (confirmDiscard()) {
      shutdown();
      stage.close();
    }
  }

  /** Asks about unsaved changes; returns whether the current document may go. */
  boolean confirmDiscard() {
    return files.confirmDiscard();
  }

  // ---------------------------------------------------------------- preferences

  /** Edit → Preferences: edits the settings file; what can change while the studio runs changes at once. */
  public void preferences() {
    SettingsFile file = new SettingsFile(cfg.userDir().resolve("settings.json"));
    Settings current;
    try {
      current = file.read();
    } catch (InvalidSettingException e) {
      dialogs.error("The settings file has a bad value", e.getMessage() + "\n\nThe form starts from the defaults; "
          + "OK replaces the file.");
      current = Settings.defaults();
    }
    dialogs.editSettings(current, cfg.userDir().resolve("output")).ifPresent(s -> {
      try {
        file.write(s);
      } catch (IOException e) {
        dialogs.error("Cannot save the preferences", file.path() + ": " + IoErrors.reason(e));
        return;
      }
      apply(s);
      status("Preferences saved to " + file.path() + "; model folders, the execution provider and threads apply "
          + "at the next start");
    });
  }

  /**
   * The settings that take effect at once: output folder, previews, autosave, the two memory budgets and the disk
   * for saved models.
   */
  private void apply(Settings saved) {
    Settings s;
    try {
      s = saved.withOverrides(System.getProperties()); // a -D given at start still wins
    } catch (InvalidSettingException e) {
      s = saved;
    }
    runs.setRunSettings(s.runSettings(cfg.userDir().resolve("output")));
    files.autosave().stopTimer();
    files.autosave().start(s.autosaveSeconds());
    cfg.executor().cache().setBudget(s.outputCacheBytes());
    Services services = cfg.executor().services();
    if (services.isStarted(OrtRuntime.class)) {
      OrtRuntime runtime = services.require(OrtRuntime.class);
      runtime.setSessionBudget(s.runtime(System.getProperties()).sessionBudgetBytes());
      OptimizedModels kept = AppContext.savedModels(s);
      runtime.keepOptimized(kept);
      kept.trim(); // a smaller budget frees the disk now, not at the next save
    }
  }

  // ---------------------------------------------------------------- files

  public void newDocument() {
    files.newDocument();
  }

  public void open() {
    files.open();
  }

  /** Opens a workflow file or a PNG with a workflow inside, asking first about unsaved changes. */
  public void openPath(Path p) {
    files.openPath(p, true);
  }

  /** Files dropped on the canvas: the first workflow or picture among them. */
  public void openDropped(List<Path> dropped) {
    files.openDropped(dropped);
  }

  /** Saves to the document's file, or asks where. Returns whether it was saved. */
  public boolean save() {
    return files.save();
  }

  public boolean saveAs() {
    return files.saveAs();
  }

  /** File → Save As ComfyUI Workflow. */
  public boolean exportComfy() {
    return files.exportComfy();
  }

  public boolean saveTo(Path file) {
    return files.saveTo(file);
  }

  /** Writes the recovery copy if the document changed since the last one (called every 30 s). */
  public void autosaveNow() {
    files.autosave().now();
  }

  /** Waits until pending recovery writes are on disk (tests, shutdown). */
  public void flushAutosave() throws InterruptedException {
    files.autosave().flush();
  }

  public Recovery recovery() {
    return files.autosave().recovery();
  }

  // ---------------------------------------------------------------- running and panels

  /** Queues the graph as it is now, then moves seeds on as their after-run controls say. */
  public RunEntry run() {
    // a run is where a crash is likeliest (a model runs out of memory, a driver fails): write the recovery copy
    // now rather than at the next tick of the autosave timer
    files.autosave().now();
    return runActions.run();
  }

  private void showImportProblems(List<org.latentstudio.graph.Problem> problems) {
    runs.showImportProblems(problems);
  }

  /** Run → Serve ComfyUI API: starts or stops the server; says why when it cannot start. */
  public void serveApi(boolean on) {
    if (!on) {
      server.stop();
      status("Stopped the ComfyUI API server");
      return;
    }
    String problem = server.start();
    if (problem != null) {
      dialogs.error("Cannot serve ComfyUI's API", problem);
      status("The ComfyUI API server did not start");
    } else {
      status("Serving ComfyUI's API at " + server.url() + ": ComfyUI clients' prompts appear in the Queue tab");
    }
  }

  StudioServer server() {
    return server;
  }

  /** Selects a node and brings it into view (from the problems panel). */
  public void reveal(NodeId id) {
    canvas.reveal(id);
  }

  private void viewImage(RunController.GalleryItem item) {
    if (viewer == null) {
      viewer = new ImageViewer(stage, cfg.desktop(), this::openPath);
    }
    viewer.show(item);
  }

  public ImageViewer imageViewer() {
    return viewer;
  }

  private void addModel(ModelEntry m) {
    canvas.addLoaderFor(m.kind(), m.name(), canvas.viewCenter());
  }

  /** Help → Keyboard Shortcuts: a window listing {@link Shortcuts#ALL}. */
  public Stage showShortcuts() {
    return HelpWindows.showShortcuts(stage);
  }

  // ---------------------------------------------------------------- accessors (tests, app, parts)

  public Stage stage() {
    return stage;
  }

  StudioConfig config() {
    return cfg;
  }

  public Document document() {
    return doc;
  }

  public GraphCanvas canvas() {
    return canvas;
  }

  public RunController runs() {
    return runs;
  }

  public NodeLibrary library() {
    return library;
  }

  public ModelsPanel modelsPanel() {
    return modelsPanel;
  }

  public GalleryStrip gallery() {
    return gallery;
  }

  public QueuePanel queuePanel() {
    return queuePanel;
  }

  public ProblemsPanel problemsPanel() {
    return problemsPanel;
  }

  public PreviewPanel previewPanel() {
    return previewPanel;
  }

  public String statusText() {
    return statusBar.text();
  }

  /** What the canvas asks of the window: model names, file choosers, the status bar, dropped files. */
  private final class Host implements CanvasHost {
    @Override
    public List<String> files(String kind) {
      return modelsPanel.models().stream().filter(m -> m.kind().equals(kind)).map(ModelEntry::name).toList();
    }

    @Override
    public Optional<String> browse(String kind) {
      return dialogs.chooseFile(kind, cfg.userDir()).map(Path::toString);
    }

    @Override
    public void status(String message) {
      StudioWindow.this.status(message);
    }

    @Override
    public void filesDropped(List<Path> dropped) {
      Platform.runLater(() -> openDropped(dropped));
    }
  }
}
