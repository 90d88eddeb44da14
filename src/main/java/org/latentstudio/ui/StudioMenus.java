package org.latentstudio.ui;

import java.nio.file.Path;
import javafx.geometry.Point2D;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.files.RecentFiles;
import org.latentstudio.ui.run.RunController;

/**
 * The menu bar: File, Edit, View, Run and Help, each item with its accelerator (Ctrl is the platform's
 * shortcut key; {@link Shortcuts} lists them for Help). Items only call the window's, the document's or the
 * canvas's actions; Undo and Redo follow the command stack's labels and availability.
 */
final class StudioMenus {
  private final StudioWindow window;
  private final RecentFiles recent;
  private final Menu recentMenu = new Menu("Open Recent");

  private StudioMenus(StudioWindow window, RecentFiles recent) {
    this.window = window;
    this.recent = recent;
  }

  static MenuBar build(StudioWindow window, RecentFiles recent) {
    return new StudioMenus(window, recent).bar();
  }

  private MenuBar bar() {
    MenuBar bar = new MenuBar(file(), edit(), view(), run(), help());
    bar.setId("menu-bar");
    return bar;
  }

  private Menu file() {
    Menu file = new Menu("File");
    recentMenu.setOnShowing(e -> rebuildRecent());
    rebuildRecent();
    file.getItems().addAll(
        item("New", "Ctrl+N", window::newDocument),
        item("Open\u2026", "Ctrl+O", window::open),
        recentMenu,
        new SeparatorMenuItem(),
        item("Save", "Ctrl+S", window::save),
        item("Save As\u2026", "Ctrl+Shift+S", window::saveAs),
        item("Save As ComfyUI Workflow\u2026", null, window::exportComfy),
        new SeparatorMenuItem(),
        item("Quit", "Ctrl+Q", window::quit));
    return file;
  }

  private Menu edit() {
    Document doc = window.document();
    GraphCanvas canvas = window.canvas();
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
        item("Bypass / Restore", "Ctrl+B", () -> canvas.toggleMode(NodeMode.BYPASSED)),
        new SeparatorMenuItem(),
        item("Preferences\u2026", "Ctrl+Comma", window::preferences));
    return edit;
  }

  private Menu view() {
    GraphCanvas canvas = window.canvas();
    Menu view = new Menu("View");
    view.getItems().addAll(
        item("Search Nodes\u2026", null, () -> canvas.openSearch(new Point2D(canvas.getWidth() / 2 - 180, 80))),
        item("Fit to View", null, canvas::fitToView),
        item("Zoom In", "Ctrl+Equals", canvas::zoomIn),
        item("Zoom Out", "Ctrl+Minus", canvas::zoomOut),
        item("Actual Size", "Ctrl+0", canvas::resetZoom),
        new SeparatorMenuItem(),
        item("Rescan Models", null, window.modelsPanel()::refresh));
    return view;
  }

  private Menu run() {
    RunController runs = window.runs();
    StudioConfig cfg = window.config();
    Menu run = new Menu("Run");
    MenuItem cancel = item("Cancel Run", "Ctrl+Period", runs::cancelCurrent);
    cancel.disableProperty().bind(runs.busyProperty().not());
    run.getItems().addAll(
        item("Run", "Ctrl+Enter", window::run),
        cancel,
        item("Cancel All", null, runs::cancelAll),
        new SeparatorMenuItem(),
        item("Clear Finished Runs", null, runs::clearFinished),
        item("Clear Result Cache", null, () -> {
          cfg.executor().cache().clear();
          window.status("Result cache cleared: the next run computes everything again");
        }),
        item("Open Output Folder", null, () -> cfg.desktop().openFolder(runs.runSettings().outputDir())),
        new SeparatorMenuItem(),
        serveItem());
    return run;
  }

  /** On: ComfyUI's scripts and clients can queue prompts here; the status bar shows the port. */
  private CheckMenuItem serveItem() {
    CheckMenuItem serve = new CheckMenuItem("Serve ComfyUI API (port " + StudioServer.port() + ")");
    serve.setId("serve-api");
    serve.setOnAction(e -> {
      window.serveApi(serve.isSelected());
      serve.setSelected(window.server().runningProperty().get());
    });
    return serve;
  }

  private Menu help() {
    Menu help = new Menu("Help");
    help.getItems().addAll(item("Keyboard Shortcuts", "F1", window::showShortcuts),
        item("About Latent Studio", null, () -> HelpWindows.showAbout(window.stage(), window.config())));
    return help;
  }

  private void rebuildRecent() {
    recentMenu.getItems().clear();
    for (Path p : recent.list()) {
      MenuItem mi = new MenuItem(p.getFileName() + "  \u2014  " + p.getParent());
      mi.setMnemonicParsing(false);
      mi.setOnAction(e -> window.openPath(p));
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

  private static MenuItem item(String text, String accelerator, Runnable action) {
    MenuItem mi = new MenuItem(text);
    if (accelerator != null) {
      mi.setAccelerator(KeyCombination.keyCombination(accelerator.replace("Ctrl", "Shortcut")));
    }
    mi.setOnAction(e -> action.run());
    return mi;
  }
}
