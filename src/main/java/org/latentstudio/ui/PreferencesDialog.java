package org.latentstudio.ui;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.latentstudio.app.InvalidSettingException;
import org.latentstudio.app.Settings;
import org.latentstudio.app.Sizes;
import org.latentstudio.io.WritableFolder;

/**
 * Preferences: every field of {@link Settings} as a form. OK is refused while a value is bad, and the message
 * names the field as the settings file writes it.
 */
public final class PreferencesDialog {
  private final Dialog<Settings> dialog = new Dialog<>();
  private final ListView<Path> folders = new ListView<>();
  private final TextField output = field("outputFolder");
  private final ChoiceBox<Settings.Provider> provider = new ChoiceBox<>();
  private final TextField cudaDevice = field("cudaDevice");
  private final TextField threads = field("threads");
  private final TextField sessionMemory = field("sessionMemory");
  private final TextField outputCache = field("outputCache");
  private final TextField savedModels = field("savedModels");
  private final TextField previewEvery = field("previewEvery");
  private final TextField autosave = field("autosaveSeconds");
  private final Label problem = new Label();

  public PreferencesDialog(Window owner, Settings current, Path defaultOutput) {
    dialog.initOwner(owner);
    dialog.setTitle("Preferences \u2014 " + StudioWindow.TITLE);
    dialog.setHeaderText("Model folders, the execution provider and threads apply at the next start;\n"
        + "the rest at once. Saved in settings.json in the user folder.");
    folders.getItems().setAll(current.modelFolders());
    folders.setPrefHeight(90);
    folders.setId("pref-modelFolders");
    output.setText(current.outputFolder() == null ? "" : current.outputFolder().toString());
    output.setPromptText(defaultOutput.toString());
    provider.getItems().setAll(Settings.Provider.values());
    provider.setValue(current.provider());
    provider.setId("pref-executionProvider");
    cudaDevice.setText(Integer.toString(current.cudaDevice()));
    threads.setText(Integer.toString(current.threads()));
    sessionMemory.setText(Sizes.format(current.sessionMemoryBytes()));
    outputCache.setText(Sizes.format(current.outputCacheBytes()));
    savedModels.setText(Sizes.format(current.savedModelsBytes()));
    previewEvery.setText(Integer.toString(current.previewEvery()));
    autosave.setText(Integer.toString(current.autosaveSeconds()));
    problem.setId("pref-problem");
    problem.setWrapText(true);
    problem.getStyleClass().add("danger");

    Button add = new Button("Add\u2026");
    add.setOnAction(e -> chooseFolder(null).ifPresent(folders.getItems()::add));
    Button remove = new Button("Remove");
    remove.disableProperty().bind(folders.getSelectionModel().selectedItemProperty().isNull());
    remove.setOnAction(e -> folders.getItems().remove(folders.getSelectionModel().getSelectedItem()));
    Button browse = new Button("Browse\u2026");
    browse.setOnAction(e -> chooseFolder(output.getText()).ifPresent(p -> output.setText(p.toString())));

    GridPane grid = new GridPane();
    grid.setHgap(10);
    grid.setVgap(8);
    grid.setPadding(new Insets(12));
    int row = 0;
    grid.addRow(row++, new Label("Model folders"), folders, new VBox(6, add, remove));
    grid.addRow(row++, new Label("Output folder"), output, browse);
    grid.addRow(row++, new Label("Execution provider"), provider, hint("CUDA falls back to the CPU, saying why"));
    grid.addRow(row++, new Label("CUDA device"), cudaDevice, hint("which GPU, from 0"));
    grid.addRow(row++, new Label("Threads"), threads,
        hint("per model run; 0: automatic (one, or one per core for full-size models and large pictures)"));
    grid.addRow(row++, new Label("Model memory"), sessionMemory, hint("e.g. 8g; 0: half the RAM"));
    grid.addRow(row++, new Label("Result cache"), outputCache, hint("node results kept for re-runs, e.g. 2g"));
    grid.addRow(row++, new Label("Saved models"), savedModels,
        hint("disk for optimised full-size models (4g each), for quick starts; 0: none"));
    grid.addRow(row++, new Label("Preview every"), previewEvery, hint("sampler steps; 0: no preview"));
    grid.addRow(row++, new Label("Autosave every"), autosave, hint("seconds; 0: off"));
    // labels and hints keep their full width; the fields take the rest
    ColumnConstraints labels = new ColumnConstraints();
    labels.setMinWidth(Region.USE_PREF_SIZE);
    ColumnConstraints fields = new ColumnConstraints();
    fields.setHgrow(Priority.ALWAYS);
    ColumnConstraints hints = new ColumnConstraints();
    hints.setMinWidth(Region.USE_PREF_SIZE);
    grid.getColumnConstraints().setAll(labels, fields, hints);
    dialog.getDialogPane().setContent(new VBox(8, grid, problem));
    dialog.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
    dialog.getDialogPane().setMinWidth(Region.USE_PREF_SIZE);
    dialog.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
    if (dialog.getDialogPane().getScene() != null) {
      Theme.apply(dialog.getDialogPane().getScene());
    }

    Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
    ok.setId("pref-ok");
    ok.addEventFilter(ActionEvent.ACTION, e -> {
      try {
        read();
        problem.setText("");
      } catch (InvalidSettingException ex) {
        problem.setText(ex.getMessage());
        e.consume(); // the dialog stays open until the value is fixed
      }
    });
    dialog.setResultConverter(b -> b == ButtonType.OK ? read() : null);
  }

  /** Shows the dialog and waits: the new settings, or empty when cancelled. */
  public Optional<Settings> showAndWait() {
    return dialog.showAndWait();
  }

  public Dialog<Settings> dialog() {
    return dialog;
  }

  /** The form's values as settings; a bad value throws, naming its field. */
  Settings read() {
    String out = output.getText().trim();
    Path outputFolder = out.isEmpty() ? null : path("outputFolder", out);
    String unusable = outputFolder == null ? null : WritableFolder.problem(outputFolder);
    if (unusable != null) {
      throw new InvalidSettingException("outputFolder", outputFolder + unusable);
    }
    return new Settings(List.copyOf(folders.getItems()), outputFolder,
        provider.getValue(), integer("cudaDevice", cudaDevice), integer("threads", threads),
        Sizes.parse("sessionMemory", sessionMemory.getText()), Sizes.parse("outputCache", outputCache.getText()),
        Sizes.parse("savedModels", savedModels.getText()),
        integer("previewEvery", previewEvery), integer("autosaveSeconds", autosave));
  }

  private Optional<Path> chooseFolder(String start) {
    DirectoryChooser chooser = new DirectoryChooser();
    if (start != null && !start.isBlank()) {
      java.io.File f = new java.io.File(start);
      if (f.isDirectory()) {
        chooser.setInitialDirectory(f);
      }
    }
    return Optional.ofNullable(chooser.showDialog(dialog.getOwner())).map(java.io.File::toPath);
  }

  private static Path path(String field, String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new InvalidSettingException(field, "'" + text + "' is not a path");
    }
  }

  private static int integer(String field, TextField f) {
    try {
      return Integer.parseInt(f.getText().trim());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(field, "'" + f.getText() + "' is not a whole number");
    }
  }

  private static TextField field(String id) {
    TextField f = new TextField();
    f.setId("pref-" + id);
    f.setPrefColumnCount(16);
    return f;
  }

  private static Node hint(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("text-muted");
    return new HBox(l);
  }
}
