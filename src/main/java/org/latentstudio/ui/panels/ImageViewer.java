package org.latentstudio.ui.panels;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.latentstudio.ui.DesktopActions;
import org.latentstudio.ui.ScreenFit;
import org.latentstudio.ui.run.RunController.GalleryItem;

/** A window that shows one finished picture large, scaled to the window; Escape closes it. */
public final class ImageViewer {
  private final Stage stage = new Stage();
  private final ImageView view = new ImageView();
  private final Label caption = new Label();
  private final Button folder = new Button("Show in folder");
  private final Button workflow = new Button("Open its workflow");
  private GalleryItem item;

  public ImageViewer(Window owner, DesktopActions desktop, Consumer<Path> openWorkflow) {
    stage.initOwner(owner);
    view.setPreserveRatio(true);
    view.setSmooth(true);
    view.setId("image-viewer");
    StackPane center = new StackPane(view);
    center.getStyleClass().add("preview-pane");
    center.setMinSize(64, 64);
    view.fitWidthProperty().bind(center.widthProperty().subtract(16));
    view.fitHeightProperty().bind(center.heightProperty().subtract(16));
    folder.setOnAction(e -> {
      if (item != null && item.file() != null) {
        desktop.openFolder(item.file().toAbsolutePath().getParent());
      }
    });
    workflow.setOnAction(e -> {
      if (item != null && item.file() != null) {
        openWorkflow.accept(item.file());
        stage.hide();
      }
    });
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox bar = new HBox(8, caption, spacer, workflow, folder);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(8));
    BorderPane root = new BorderPane(center, null, null, bar, null);
    Scene scene = ScreenFit.scene(root, 720, 760);
    if (owner != null && owner.getScene() != null) {
      scene.getStylesheets().setAll(owner.getScene().getStylesheets());
    }
    scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::hide);
    stage.setScene(scene);
  }

  public void show(GalleryItem it) {
    item = it;
    view.setImage(it.image());
    double w = it.image().getWidth();
    double h = it.image().getHeight();
    caption.setText(it.caption() + "  \u00b7  " + (int) w + "\u00d7" + (int) h);
    folder.setDisable(it.file() == null);
    workflow.setDisable(it.file() == null);
    stage.setTitle(it.caption() + " \u2014 Latent Studio");
    stage.show();
    stage.toFront();
  }

  public Stage stage() {
    return stage;
  }

  public GalleryItem item() {
    return item;
  }
}
