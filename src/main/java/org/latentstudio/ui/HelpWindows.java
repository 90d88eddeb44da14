package org.latentstudio.ui;

import atlantafx.base.theme.Styles;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.latentstudio.app.AppPaths;
import org.latentstudio.app.AppVersion;

/** The Help menu's windows: the keyboard shortcuts, built from {@link Shortcuts#ALL}, and About. */
final class HelpWindows {
  private HelpWindows() {}

  /** A window listing {@link Shortcuts#ALL} by section. */
  static Stage showShortcuts(Stage owner) {
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
    ColumnConstraints keysColumn = new ColumnConstraints();
    keysColumn.setMinWidth(Region.USE_PREF_SIZE);
    ColumnConstraints actionColumn = new ColumnConstraints();
    actionColumn.setHgrow(Priority.ALWAYS);
    grid.getColumnConstraints().setAll(keysColumn, actionColumn);
    grid.getStyleClass().add("shortcuts");
    ScrollPane scroll = new ScrollPane(grid);
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("shortcuts");
    Stage help = new Stage();
    help.initOwner(owner);
    help.setTitle("Keyboard Shortcuts \u2014 " + StudioWindow.TITLE);
    Scene scene = ScreenFit.scene(scroll, 760, 720); // it scrolls: on a low screen it is merely shorter
    Theme.apply(scene);
    scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), help::close);
    help.setScene(scene);
    help.show();
    return help;
  }

  static void showAbout(Stage owner, StudioConfig cfg) {
    String text = "A node-graph studio for Stable Diffusion on ONNX Runtime.\n\n" + AppVersion.environment()
        + "\n\nUser folder: " + cfg.userDir() + "\nOutput folder: " + cfg.outputDir();
    Path legal = AppPaths.home().resolve("legal"); // the installed app's (installer/lib/collect-legal)
    if (Files.isDirectory(legal)) {
      text += "\n\nThe libraries it ships and their licences: " + legal;
    }
    Alert a = new Alert(Alert.AlertType.INFORMATION, text);
    a.initOwner(owner);
    a.setHeaderText(StudioWindow.TITLE + " " + AppVersion.get());
    a.setTitle("About " + StudioWindow.TITLE);
    a.show();
  }
}
