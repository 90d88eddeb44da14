package org.latentstudio.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.latentstudio.app.Settings;

/** The real dialogs: alerts and file choosers owned by the studio window. */
public final class FxDialogs implements Dialogs {
  private final Window owner;

  public FxDialogs(Window owner) {
    this.owner = owner;
  }

  @Override
  public Optional<Settings> editSettings(Settings current, Path defaultOutput) {
    return new PreferencesDialog(owner, current, defaultOutput).showAndWait();
  }

  @Override
  public SaveChoice confirmDiscard(String documentName) {
    ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
    ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
    Alert a = new Alert(Alert.AlertType.WARNING, "Your changes will be lost if you don't save them.", save, discard,
        ButtonType.CANCEL);
    a.initOwner(owner);
    a.setTitle("Unsaved changes");
    a.setHeaderText("Save the changes to " + documentName + "?");
    Optional<ButtonType> r = a.showAndWait();
    if (r.isEmpty() || r.get() == ButtonType.CANCEL) {
      return SaveChoice.CANCEL;
    }
    return r.get() == save ? SaveChoice.SAVE : SaveChoice.DISCARD;
  }

  @Override
  public boolean offerRecovery(String description) {
    ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.YES);
    ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
    Alert a = new Alert(Alert.AlertType.CONFIRMATION, description, restore, discard);
    a.initOwner(owner);
    a.setTitle("Restore unsaved work");
    a.setHeaderText("Latent Studio did not close properly last time");
    return a.showAndWait().orElse(discard) == restore;
  }

  private static FileChooser chooser(String title, Path initialDir) {
    FileChooser fc = new FileChooser();
    fc.setTitle(title);
    if (initialDir != null && Files.isDirectory(initialDir)) {
      fc.setInitialDirectory(initialDir.toFile());
    }
    return fc;
  }

  @Override
  public Optional<Path> chooseOpen(Path initialDir) {
    FileChooser fc = chooser("Open workflow", initialDir);
    fc.getExtensionFilters().addAll(
        new FileChooser.ExtensionFilter("Workflows and pictures with a workflow", "*.json", "*.png"),
        new FileChooser.ExtensionFilter("All files", "*"));
    File f = fc.showOpenDialog(owner);
    return Optional.ofNullable(f).map(File::toPath);
  }

  @Override
  public Optional<Path> chooseSave(Path initialDir, String suggestedName) {
    FileChooser fc = chooser("Save workflow", initialDir);
    fc.setInitialFileName(suggestedName);
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Workflow", "*.json"));
    File f = fc.showSaveDialog(owner);
    if (f == null) {
      return Optional.empty();
    }
    Path p = f.toPath();
    return Optional.of(p.getFileName().toString().contains(".") ? p : p.resolveSibling(p.getFileName() + ".json"));
  }

  @Override
  public Optional<Path> chooseFile(String kind, Path initialDir) {
    FileChooser fc = chooser("Choose " + kind, initialDir);
    switch (kind) {
      case "image" -> fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Pictures", "*.png", "*.jpg",
          "*.jpeg", "*.webp"));
      // a model folder is chosen through its model_index.json, which stands for the folder
      case "checkpoint" -> fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter(
          "Checkpoints (.safetensors, .ckpt, a model folder's model_index.json)", "*.safetensors", "*.ckpt",
          "model_index.json"), new FileChooser.ExtensionFilter("All files", "*"));
      case "checkpoint config" -> fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter(
          "Checkpoint configs (an LDM .yaml, a diffusers folder's model_index.json)", "*.yaml", "model_index.json"),
          new FileChooser.ExtensionFilter("All files", "*"));
      default -> { }
    }
    File f = fc.showOpenDialog(owner);
    return Optional.ofNullable(f).map(File::toPath);
  }

  @Override
  public void error(String title, String message) {
    Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
    a.initOwner(owner);
    a.setTitle(title);
    a.setHeaderText(title);
    a.getDialogPane().setPrefWidth(520);
    a.showAndWait();
  }
}
