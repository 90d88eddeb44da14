package org.latentstudio.ui.panels;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.latentstudio.ui.DesktopActions;
import org.latentstudio.ui.run.RunController;
import org.latentstudio.ui.run.RunController.GalleryItem;

/**
 * Finished pictures, newest first. A click shows one large; "Show in folder" opens the folder it was saved
 * to; "Open its workflow" loads the graph that made it.
 */
public final class GalleryStrip extends VBox {
  public static final double THUMB = 96;
  private final ListView<GalleryItem> list = new ListView<>();
  private final DesktopActions desktop;
  private final Consumer<GalleryItem> view;
  private final Consumer<Path> openWorkflow;

  public GalleryStrip(RunController runs, DesktopActions desktop, Consumer<GalleryItem> view,
      Consumer<Path> openWorkflow) {
    this.desktop = desktop;
    this.view = view;
    this.openWorkflow = openWorkflow;
    getStyleClass().add("gallery");
    list.setId("gallery");
    list.setOrientation(Orientation.HORIZONTAL);
    list.setItems(runs.gallery());
    list.setPrefHeight(THUMB + 22);
    list.setMinHeight(THUMB + 22);
    list.setMaxHeight(THUMB + 22);
    list.setCellFactory(v -> new Thumb());
    list.setPlaceholder(new Label("Finished pictures appear here."));
    Button folder = new Button("Show in folder");
    folder.setId("gallery-open-folder");
    folder.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
    folder.setOnAction(e -> openFolder(list.getSelectionModel().getSelectedItem()));
    Label title = new Label("Gallery");
    title.getStyleClass().add("panel-title");
    javafx.scene.layout.Region spacer = new javafx.scene.layout.Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox bar = new HBox(6, title, spacer, folder);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(2, 6, 0, 6));
    getChildren().addAll(bar, list);
  }

  public ListView<GalleryItem> list() {
    return list;
  }

  void openFolder(GalleryItem item) {
    if (item != null && item.file() != null) {
      desktop.openFolder(item.file().toAbsolutePath().getParent());
    }
  }

  private final class Thumb extends ListCell<GalleryItem> {
    private final ImageView iv = new ImageView();

    Thumb() {
      iv.setPreserveRatio(true);
      iv.setFitHeight(THUMB);
      iv.setFitWidth(THUMB);
      iv.setSmooth(true);
      setOnMouseClicked(e -> {
        if (getItem() != null && e.getButton() == MouseButton.PRIMARY) {
          view.accept(getItem());
        }
      });
    }

    @Override
    protected void updateItem(GalleryItem item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setGraphic(null);
        setContextMenu(null);
        return;
      }
      iv.setImage(item.image());
      setGraphic(iv);
      setText(null);
      setTooltip(new javafx.scene.control.Tooltip(item.caption()));
      MenuItem show = new MenuItem("View large");
      show.setOnAction(e -> view.accept(item));
      MenuItem folder = new MenuItem("Show in folder");
      folder.setDisable(item.file() == null);
      folder.setOnAction(e -> openFolder(item));
      MenuItem open = new MenuItem("Open in image viewer");
      open.setDisable(item.file() == null);
      open.setOnAction(e -> desktop.openFile(item.file()));
      MenuItem workflow = new MenuItem("Open its workflow");
      workflow.setDisable(item.file() == null);
      workflow.setOnAction(e -> openWorkflow.accept(item.file()));
      MenuItem copy = new MenuItem("Copy path");
      copy.setDisable(item.file() == null);
      copy.setOnAction(e -> {
        ClipboardContent c = new ClipboardContent();
        c.putString(item.file().toAbsolutePath().toString());
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
      });
      setContextMenu(new ContextMenu(show, folder, open, workflow, copy));
    }
  }

}
