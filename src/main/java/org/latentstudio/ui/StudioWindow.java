package org.latentstudio.ui;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.latentstudio.edit.Command;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.ui.canvas.CanvasHost;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.canvas.NodeRunState;
import org.latentstudio.ui.canvas.NodeView;
import org.latentstudio.ui.canvas.SeedControl;
import org.latentstudio.ui.files.RecentFiles;
import org.latentstudio.ui.files.Recovery;
import org.latentstudio.ui.files.WorkflowImport;
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
 * The studio window: menus and toolbar, the node library and models on the left, the canvas with the gallery
 * below it, preview, queue, problems and properties on the right. It wires the panels to one {@link Document}
 * and one {@link RunController}, and owns the file actions, the recovery copy and the window title.
 */
public final class StudioWindow {
  public static final String TITLE = "Latent Studio";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private final Stage stage;
  private final StudioConfig cfg;
  private final Document doc = new Document();
  private final GraphCanvas canvas;
  private final RunController runs;
  private final Dialogs dialogs;
  private final WorkflowCodec codec = new WorkflowCodec();
  private final WorkflowImport importer = new WorkflowImport();
  private final RecentFiles recent;
  private final Recovery recovery;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "latentstudio-autosave");
    t.setDaemon(true);
    return t;
  });
  private final Label status = new Label("Ready");
  private final Label counts = new Label();
  private final Label zoomLabel = new Label();
  private final Menu recentMenu = new Menu("Open Recent");
  private final SimpleObjectProperty<String> importedName = new SimpleObjectProperty<>();
  private final NodeLibrary library;
  private final ModelsPanel modelsPanel;
  private final GalleryStrip gallery;
  private final QueuePanel queuePanel;
  private final ProblemsPanel problemsPanel;
  private final PreviewPanel previewPanel;
  private final TabPane rightTabs;
  private final Tab problemsTab;
  private ImageViewer viewer;
  private Timeline autosave;
  private long autosavedRevision = Long.MIN_VALUE;
  private final Random random = new Random();
  private boolean closed;

  public StudioWindow(Stage stage, StudioConfig cfg) {
    this.stage = stage;
    this.cfg = cfg;
    this.dialogs = cfg.dialogs().apply(stage);
    this.recent = new RecentFiles(cfg.userDir().resolve("recent.json"));
    this.recovery = new Recovery(cfg.userDir());
    Theme.installUserAgent();

    canvas = new GraphCanvas(doc, cfg.registry());
    canvas.setHost(new Host());
    runs = new RunController(cfg.executor(), RunSettings.defaults(cfg.outputDir()), new Marks());
    runs.setOnFinished(this::runFinished);

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

    TabPane leftTabs = new TabPane(new Tab("Nodes", library), new Tab("Models", modelsPanel));
    leftTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    leftTabs.setMinWidth(200);
    leftTabs.setPrefWidth(250);
    problemsTab = new Tab("Problems", problemsPanel);
    rightTabs = new TabPane(new Tab("Queue", queuePanel), problemsTab, new Tab("Properties", properties));
    rightTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    SplitPane right = new SplitPane(previewPanel, rightTabs);
    right.setOrientation(Orientation.VERTICAL);
    right.setDividerPositions(0.48);
    right.setMinWidth(240);
    right.setPrefWidth(320);
    VBox middle = new VBox(canvas, gallery);
    VBox.setVgrow(canvas, Priority.ALWAYS);
    SplitPane main = new SplitPane(leftTabs, middle, right);
    main.setDividerPositions(0.17, 0.78);
    SplitPane.setResizableWithParent(leftTabs, false);
    SplitPane.setResizableWithParent(right, false);

    BorderPane root = new BorderPane(main, new VBox(menuBar(), toolBar()), null, statusBar(), null);
    root.setId("studio-root");
    javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
    Scene scene = new Scene(root, Math.min(1440, screen.getWidth() - 40), Math.min(900, screen.getHeight() - 60));
    Theme.apply(scene);
    stage.setScene(scene);
    stage.setMinWidth(800);
    stage.setMinHeight(560);
    restoreWindow(screen);
    stage.titleProperty().bind(Bindings.createStringBinding(this::title, doc.dirtyProperty(), doc.fileProperty(),
        importedName));
    stage.setOnCloseRequest(e -> {
      if (!confirmDiscard()) {
        e.consume();
      } else {
        shutdown();
      }
    });
    doc.graphProperty().addListener((o, was, is) -> updateCounts());
    canvas.zoomProperty().addListener((o, was, is) -> updateCounts());
    canvas.selection().addListener((javafx.collections.SetChangeListener<NodeId>) c -> updateCounts());
    updateCounts();
    runs.problems().addListener((javafx.collections.ListChangeListener<RunController.ProblemItem>) c -> {
      if (!runs.problems().isEmpty()) {
        rightTabs.getSelectionModel().select(problemsTab);
      }
    });
    if (cfg.autosaveSeconds() > 0) {
      autosave = new Timeline(new KeyFrame(Duration.seconds(cfg.autosaveSeconds()), e -> autosaveNow()));
      autosave.setCycleCount(Timeline.INDEFINITE);
      autosave.play();
    }
  }

  // ---------------------------------------------------------------- building the window

  private MenuBar menuBar() {
    Menu file = new Menu("File");
    recentMenu.setOnShowing(e -> rebuildRecent());
    rebuildRecent();
    file.getItems().addAll(
        item("New", "Ctrl+N", this::newDocument),
        item("Open\u2026", "Ctrl+O", this::open),
        recentMenu,
        new SeparatorMenuItem(),
        item("Save", "Ctrl+S", this::save),
        item("Save As\u2026", "Ctrl+Shift+S", this::saveAs),
        new SeparatorMenuItem(),
        item("Quit", "Ctrl+Q", this::quit));

    Menu edit = new Menu("Edit");
    MenuItem undo = item("Undo", "Ctrl+Z", doc::undo);
    undo.textProperty().bind(doc.undoTextProperty());
    undo.disableProperty().bind(doc.canUndoProperty().not());
    MenuItem redo = item("Redo", "Ctrl+Shift+Z", doc::redo);
    redo.textProperty().bind(doc.redoTextProperty());
    redo.disableProperty().bind(doc.canRedoProperty().not());
    MenuItem redoY = item("Redo", "Ctrl+Y", doc::redo);
    redoY.setVisible(false);
    edit.getItems().addAll(undo, redo, redoY, new SeparatorMenuItem(),
        item("Cut", "Ctrl+X", canvas::cutSelection),
        item("Copy", "Ctrl+C", canvas::copySelection),
        item("Paste", "Ctrl+V", () -> canvas.paste(false)),
        item("Paste with Connections", "Ctrl+Shift+V", () -> canvas.paste(true)),
        item("Duplicate", "Ctrl+D", canvas::duplicateSelection),
        item("Delete", null, canvas::deleteSelection),
        new SeparatorMenuItem(),
        item("Select All", "Ctrl+A", canvas::selectAll),
        item("Group Selection", "Ctrl+G", canvas::groupSelection),
        item("Mute / Unmute", "Ctrl+M", () -> canvas.toggleMode(NodeMode.MUTED)),
        item("Bypass / Restore", "Ctrl+B", () -> canvas.toggleMode(NodeMode.BYPASSED)));

    Menu view = new Menu("View");
    view.getItems().addAll(
        item("Search Nodes\u2026", null, () -> canvas.openSearch(new Point2D(canvas.getWidth() / 2 - 180, 80))),
        item("Fit to View", null, canvas::fitToView),
        item("Zoom In", "Ctrl+Equals", canvas::zoomIn),
        item("Zoom Out", "Ctrl+Minus", canvas::zoomOut),
        item("Actual Size", "Ctrl+0", canvas::resetZoom),
        new SeparatorMenuItem(),
        item("Rescan Models", null, modelsPanel::refresh));

    Menu run = new Menu("Run");
    MenuItem cancel = item("Cancel Run", "Ctrl+Period", runs::cancelCurrent);
    cancel.disableProperty().bind(runs.busyProperty().not());
    run.getItems().addAll(
        item("Run", "Ctrl+Enter", this::run),
        cancel,
        item("Cancel All", null, runs::cancelAll),
        new SeparatorMenuItem(),
        item("Clear Finished Runs", null, runs::clearFinished),
        item("Clear Result Cache", null, () -> {
          cfg.executor().cache().clear();
          status("Result cache cleared: the next run computes everything again");
        }),
        item("Open Output Folder", null, () -> cfg.desktop().openFolder(cfg.outputDir())));

    Menu help = new Menu("Help");
    help.getItems().addAll(item("Keyboard Shortcuts", "F1", this::showShortcuts),
        item("About Latent Studio", null, this::showAbout));
    MenuBar bar = new MenuBar(file, edit, view, run, help);
    bar.setId("menu-bar");
    return bar;
  }

  private static MenuItem item(String text, String accelerator, Runnable action) {
    MenuItem mi = new MenuItem(text);
    if (accelerator != null) {
      mi.setAccelerator(KeyCombination.keyCombination(accelerator.replace("Ctrl", "Shortcut")));
    }
    mi.setOnAction(e -> action.run());
    return mi;
  }

  private ToolBar toolBar() {
    Button runButton = new Button("Run");
    runButton.setId("run-button");
    runButton.getStyleClass().add(Styles.ACCENT);
    runButton.setTooltip(new Tooltip("Queue the graph (Ctrl+Enter)"));
    runButton.setOnAction(e -> run());
    Button cancel = new Button("Cancel");
    cancel.setId("cancel-button");
    cancel.getStyleClass().add(Styles.DANGER);
    cancel.setTooltip(new Tooltip("Stop the running run within one step (Ctrl+.)"));
    cancel.disableProperty().bind(runs.busyProperty().not());
    cancel.setOnAction(e -> runs.cancelCurrent());
    ProgressBar progress = new ProgressBar();
    progress.setId("run-progress");
    progress.setPrefWidth(220);
    progress.setMinWidth(220);
    progress.progressProperty().bind(runs.progressProperty());
    progress.visibleProperty().bind(runs.busyProperty());
    Label text = new Label();
    text.setId("run-status");
    text.getStyleClass().add("run-stats");
    text.textProperty().bind(runs.progressTextProperty());
    Label queued = new Label();
    queued.getStyleClass().add("muted");
    queued.textProperty().bind(Bindings.createStringBinding(() -> {
      long pending = runs.entries().stream().filter(r -> r.status() == RunEntry.Status.PENDING).count();
      return pending == 0 ? "" : pending + " queued";
    }, runs.entries(), runs.currentProperty()));
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button fit = new Button("Fit");
    fit.setTooltip(new Tooltip("Fit the graph in view (F)"));
    fit.setOnAction(e -> canvas.fitToView());
    ToolBar bar = new ToolBar(runButton, cancel, progress, text, queued, spacer, zoomLabel, fit);
    bar.setId("tool-bar");
    return bar;
  }

  private HBox statusBar() {
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    status.setId("status");
    HBox bar = new HBox(12, status, spacer, counts);
    bar.getStyleClass().add("status-bar");
    bar.setAlignment(Pos.CENTER_LEFT);
    return bar;
  }

  private void updateCounts() {
    Graph g = doc.graph();
    String sel = canvas.selection().isEmpty() ? "" : "  \u00b7  " + canvas.selection().size() + " selected";
    counts.setText(g.nodes().size() + " nodes  \u00b7  " + g.links().size() + " links" + sel);
    zoomLabel.setText(Math.round(canvas.zoom() * 100) + "%");
  }

  private String title() {
    String name;
    Path f = doc.file();
    if (f != null) {
      name = f.getFileName().toString();
    } else if (importedName.get() != null) {
      name = importedName.get();
    } else {
      name = "Untitled";
    }
    return (doc.isDirty() ? "*" : "") + name + " \u2014 " + TITLE;
  }

  public void status(String message) {
    status.setText(message);
  }

  private void notifyUser(String title, String text, boolean error) {
    status(title + (text.isEmpty() ? "" : ": " + text));
    if (!cfg.notifications() || !stage.isShowing()) {
      return;
    }
    try {
      Notifications n = Notifications.create().owner(stage).title(title).text(text)
          .hideAfter(Duration.seconds(error ? 8 : 3)).position(Pos.BOTTOM_RIGHT);
      if (error) {
        n.showError();
      } else {
        n.showInformation();
      }
    } catch (RuntimeException e) {
      // a pop-up that cannot show is not worth more than the status line above
    }
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
    List<Recovery.Found> orphans = recovery.orphans();
    if (!orphans.isEmpty()) {
      Recovery.Found f = orphans.get(0);
      String what = (f.originalFile() == null ? "An untitled workflow" : f.originalFile().getFileName().toString())
          + " with " + f.workflow().graph().nodes().size() + " nodes was autosaved at "
          + CLOCK.format(f.savedAt()) + " but never saved. Restore it?";
      boolean restore = dialogs.offerRecovery(what);
      orphans.forEach(recovery::remove);
      if (restore) {
        doc.load(f.workflow(), f.originalFile(), false);
        importedName.set(null);
        restoreView();
        status("Restored the unsaved work from " + CLOCK.format(f.savedAt()));
        autosaveNow();
        return;
      }
    }
    Path def = cfg.defaultWorkflow();
    if (def != null && Files.isRegularFile(def)) {
      try {
        // the bundled workflow is a template: it opens untitled so Save never overwrites it
        Workflow wf = importer.read(def);
        doc.load(wf, null, true);
        importedName.set(null);
        restoreView();
        status("Opened the default workflow " + def.getFileName());
      } catch (WorkflowFormatException e) {
        status("Could not open the default workflow: " + e.getMessage());
      }
    }
  }

  private Path windowFile() {
    return cfg.userDir().resolve("window.json");
  }

  /** Opens where the studio was closed, if that place is still on a screen. */
  private void restoreWindow(javafx.geometry.Rectangle2D screen) {
    org.latentstudio.ui.files.WindowState.load(windowFile()).ifPresent(w -> {
      boolean visible = !javafx.stage.Screen.getScreensForRectangle(w.x(), w.y(), w.width(), w.height()).isEmpty();
      if (visible) {
        stage.setX(w.x());
        stage.setY(w.y());
      }
      stage.setWidth(Math.min(w.width(), screen.getWidth()));
      stage.setHeight(Math.min(w.height(), screen.getHeight()));
      stage.setMaximized(w.maximized());
    });
  }

  private void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    if (stage.isShowing()) {
      new org.latentstudio.ui.files.WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
          stage.isMaximized()).save(windowFile());
    }
    if (autosave != null) {
      autosave.stop();
    }
    runs.cancelAll();
    background.shutdown();
    try {
      // a recovery write still under way must not land after the discard and be offered at the next start
      background.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recovery.discard();
  }

  public void quit() {
    if (confirmDiscard()) {
      shutdown();
      stage.close();
    }
  }

  /** Asks about unsaved changes; returns whether the current document may go. */
  boolean confirmDiscard() {
    if (!doc.isDirty()) {
      return true;
    }
    String name = doc.file() == null ? "Untitled" : doc.file().getFileName().toString();
    return switch (dialogs.confirmDiscard(name)) {
      case SAVE -> save();
      case DISCARD -> true;
      case CANCEL -> false;
    };
  }

  // ---------------------------------------------------------------- files

  public void newDocument() {
    if (!confirmDiscard()) {
      return;
    }
    doc.load(Workflow.of(Graph.empty()), null, true);
    importedName.set(null);
    canvas.clearRunStates();
    canvas.setView(1, canvas.getWidth() / 2 - 200, canvas.getHeight() / 2 - 150);
    recovery.discard();
    status("New workflow");
  }

  public void open() {
    if (!confirmDiscard()) {
      return;
    }
    dialogs.chooseOpen(startDir()).ifPresent(p -> openPath(p, false));
  }

  private Path startDir() {
    if (doc.file() != null && doc.file().getParent() != null) {
      return doc.file().getParent();
    }
    List<Path> r = recent.list();
    return !r.isEmpty() && r.get(0).getParent() != null ? r.get(0).getParent() : cfg.userDir();
  }

  /** Opens a workflow file or a PNG with a workflow inside, asking first about unsaved changes. */
  public void openPath(Path p) {
    openPath(p, true);
  }

  private void openPath(Path p, boolean ask) {
    if (ask && !confirmDiscard()) {
      return;
    }
    Workflow wf;
    try {
      wf = importer.read(p);
    } catch (WorkflowFormatException e) {
      dialogs.error("Cannot open " + p.getFileName(), e.getMessage());
      status("Cannot open " + p.getFileName());
      return;
    }
    canvas.clearRunStates();
    if (WorkflowImport.isPng(p)) {
      doc.load(wf, null, false);
      importedName.set("from " + p.getFileName());
      status("Loaded the workflow inside " + p.getFileName() + "; save it to keep it");
    } else {
      doc.load(wf, p, true);
      importedName.set(null);
      recent.add(p);
      status("Opened " + p);
    }
    restoreView();
  }

  /** Files dropped on the canvas: the first workflow or picture among them. */
  public void openDropped(List<Path> files) {
    for (Path p : files) {
      if (WorkflowImport.canOpen(p)) {
        openPath(p, true);
        return;
      }
    }
    status("Drop a workflow (.json) or a picture with a workflow inside (.png)");
  }

  private void rebuildRecent() {
    recentMenu.getItems().clear();
    for (Path p : recent.list()) {
      MenuItem mi = new MenuItem(p.getFileName() + "  \u2014  " + p.getParent());
      mi.setMnemonicParsing(false);
      mi.setOnAction(e -> openPath(p, true));
      recentMenu.getItems().add(mi);
    }
    if (recentMenu.getItems().isEmpty()) {
      MenuItem none = new MenuItem("No recent workflows");
      none.setDisable(true);
      recentMenu.getItems().add(none);
    } else {
      recentMenu.getItems().addAll(new SeparatorMenuItem(), item("Clear Recent", null, recent::clear));
    }
  }

  /** Saves to the document's file, or asks where. Returns whether it was saved. */
  public boolean save() {
    if (doc.file() == null) {
      return saveAs();
    }
    return saveTo(doc.file());
  }

  public boolean saveAs() {
    String suggested = doc.file() != null ? doc.file().getFileName().toString() : "workflow.json";
    Optional<Path> target = dialogs.chooseSave(startDir(), suggested);
    return target.isPresent() && saveTo(target.get());
  }

  public boolean saveTo(Path file) {
    try {
      codec.save(workflowWithView(), file);
    } catch (IOException e) {
      dialogs.error("Cannot save " + file.getFileName(), "The workflow could not be written to " + file + ": "
          + e.getMessage() + ". Nothing was lost: it is still open here. Try another folder.");
      return false;
    }
    doc.markSaved(file);
    importedName.set(null);
    recent.add(file);
    recovery.discard();
    autosavedRevision = doc.revision();
    status("Saved " + file);
    return true;
  }

  /** The document with the current pan and zoom in its extra data, so it reopens where it was left. */
  private Workflow workflowWithView() {
    ObjectNode extra = doc.extra();
    ObjectNode v = extra.putObject("view");
    v.put("zoom", round(canvas.zoom()));
    v.putArray("offset").add(round(canvas.panOffset().getX())).add(round(canvas.panOffset().getY()));
    return new Workflow(doc.graph(), extra);
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  private void restoreView() {
    canvas.requestFocus();
    Runnable apply = () -> {
      var v = doc.extra().path("view");
      if (v.has("zoom") && v.path("offset").size() == 2) {
        canvas.setView(v.path("zoom").asDouble(1), v.path("offset").get(0).asDouble(), v.path("offset").get(1).asDouble());
      } else {
        canvas.fitToView();
      }
      updateCounts();
    };
    if (canvas.getWidth() > 0) {
      apply.run();
    } else {
      canvas.widthProperty().addListener(new javafx.beans.InvalidationListener() {
        @Override
        public void invalidated(javafx.beans.Observable o) {
          canvas.widthProperty().removeListener(this);
          Platform.runLater(apply);
        }
      });
    }
  }

  /** Writes the recovery copy if the document changed since the last one (called every 30 s). */
  public void autosaveNow() {
    long rev = doc.revision();
    if (rev == autosavedRevision) {
      return;
    }
    autosavedRevision = rev;
    if (!doc.isDirty()) {
      background.execute(recovery::discard);
      return;
    }
    Workflow snapshot = workflowWithView();
    Path original = doc.file();
    background.execute(() -> {
      try {
        recovery.save(snapshot, original);
      } catch (IOException e) {
        Platform.runLater(() -> status("Could not write the recovery copy: " + e.getMessage()));
      }
    });
  }

  /** Waits until pending recovery writes are on disk (tests, shutdown). */
  public void flushAutosave() throws InterruptedException {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    background.execute(done::countDown);
    done.await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  public Recovery recovery() {
    return recovery;
  }

  // ---------------------------------------------------------------- running

  /** Queues the graph as it is now, then moves seeds on as their after-run controls say. */
  public RunEntry run() {
    Graph g = doc.graph();
    String name = doc.file() != null ? doc.file().getFileName().toString() : importedName.get() != null
        ? importedName.get() : "Untitled";
    RunEntry entry = runs.submit(g, name, codec.write(doc.toWorkflow()));
    status("Queued run #" + entry.number());
    advanceSeeds(g);
    return entry;
  }

  private void advanceSeeds(Graph g) {
    List<Command> changes = new ArrayList<>();
    for (Node n : g.nodeList()) {
      Optional<NodeSchema> s = cfg.registry().schema(n.type());
      if (s.isEmpty() || n.mode() == NodeMode.MUTED) {
        continue;
      }
      for (InputSpec in : s.get().inputs()) {
        if (!in.seed() || g.linkInto(new PortRef(n.id(), in.name())).isPresent()) {
          continue;
        }
        Object v = WidgetValues.effective(n, in);
        long current;
        try {
          current = v == null ? 0 : (Long) WidgetValues.coerce(in, v);
        } catch (IllegalArgumentException e) {
          continue;
        }
        Long next = SeedControl.of(n, in.name()).next(current, in, random);
        if (next != null) {
          changes.add(new SetWidget(n.id(), in.name(), next));
        }
      }
    }
    if (!changes.isEmpty()) {
      doc.seal();
      doc.execute(new Composite("New seed after run", changes));
      doc.seal();
    }
  }

  private void runFinished(RunEntry entry) {
    switch (entry.status()) {
      case SUCCEEDED -> notifyUser("Run #" + entry.number() + " finished", entry.detail(), false);
      case FAILED, INVALID -> notifyUser("Run #" + entry.number() + " failed", entry.detail(), true);
      case CANCELLED -> status("Run #" + entry.number() + " cancelled");
      default -> { }
    }
  }

  /** Selects a node and brings it into view (from the problems panel). */
  public void reveal(NodeId id) {
    NodeView v = canvas.view(id);
    if (v == null) {
      return;
    }
    canvas.clearSelection();
    canvas.selection().add(id);
    double z = Math.max(canvas.zoom(), 0.8);
    canvas.setView(z, canvas.getWidth() / 2 - (v.getLayoutX() + v.nodeWidth() / 2) * z,
        canvas.getHeight() / 2 - (v.getLayoutY() + v.nodeHeight() / 2) * z);
    canvas.requestFocus();
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

  // ---------------------------------------------------------------- help

  /** Help → Keyboard Shortcuts: a window listing {@link Shortcuts#ALL}. */
  public Stage showShortcuts() {
    GridPane grid = new GridPane();
    grid.setHgap(16);
    grid.setVgap(6);
    grid.setPadding(new Insets(16));
    int row = 0;
    String section = "";
    for (Shortcuts.Shortcut s : Shortcuts.ALL) {
      if (!s.section().equals(section)) {
        section = s.section();
        Label h = new Label(section);
        h.getStyleClass().add(Styles.TITLE_4);
        grid.add(h, 0, row++, 2, 1);
      }
      Label keys = new Label(s.keys());
      keys.getStyleClass().add("shortcut-key");
      Label action = new Label(s.action());
      action.setWrapText(true);
      grid.add(keys, 0, row);
      grid.add(action, 1, row++);
    }
    javafx.scene.layout.ColumnConstraints keysColumn = new javafx.scene.layout.ColumnConstraints();
    keysColumn.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    javafx.scene.layout.ColumnConstraints actionColumn = new javafx.scene.layout.ColumnConstraints();
    actionColumn.setHgrow(Priority.ALWAYS);
    grid.getColumnConstraints().setAll(keysColumn, actionColumn);
    grid.getStyleClass().add("shortcuts");
    javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(grid);
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("shortcuts");
    Stage help = new Stage();
    help.initOwner(stage);
    help.setTitle("Keyboard Shortcuts \u2014 " + TITLE);
    Scene scene = new Scene(scroll, 760, 720);
    Theme.apply(scene);
    help.setScene(scene);
    help.show();
    return help;
  }

  private void showAbout() {
    javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION,
        "A node-graph studio for Stable Diffusion on ONNX Runtime.\n\nUser folder: " + cfg.userDir()
            + "\nOutput folder: " + cfg.outputDir());
    a.initOwner(stage);
    a.setHeaderText(TITLE);
    a.setTitle("About " + TITLE);
    a.show();
  }

  // ---------------------------------------------------------------- accessors (tests, app)

  public Stage stage() {
    return stage;
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
    return status.getText();
  }

  // ---------------------------------------------------------------- collaborators

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
    public void filesDropped(List<Path> files) {
      Platform.runLater(() -> openDropped(files));
    }
  }

  private final class Marks implements RunController.Marks {
    @Override
    public void clear() {
      canvas.clearRunStates();
      for (NodeView v : canvas.views().values()) {
        v.setResult(null, null);
      }
    }

    @Override
    public void mark(NodeId node, NodeRunState state) {
      canvas.setRunState(node, state);
    }

    @Override
    public void result(NodeId node, String text, Image image) {
      NodeView v = canvas.view(node);
      if (v != null) {
        v.setResult(text, image);
      }
    }
  }
}
