package org.latentstudio.ui.panels;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.latentstudio.ui.run.RunController;

/** The live preview: the sampler's picture as it forms, then the final image. */
public final class PreviewPanel extends VBox {
  private final ImageView view = new ImageView();
  private final Label caption = new Label();

  public PreviewPanel(RunController runs) {
    getStyleClass().addAll("side-panel");
    setSpacing(4);
    setPadding(new Insets(6));
    Label title = new Label("Preview");
    title.getStyleClass().add("panel-title");
    view.setId("live-preview");
    view.setPreserveRatio(true);
    view.setSmooth(false);
    view.imageProperty().bind(runs.previewProperty());
    StackPane frame = new StackPane(view);
    frame.getStyleClass().add("preview-pane");
    frame.setMinSize(160, 160);
    frame.setPrefSize(300, 300);
    frame.setAlignment(Pos.CENTER);
    Label empty = new Label("The picture appears here while it is sampled.");
    empty.getStyleClass().add("muted");
    empty.setWrapText(true);
    empty.visibleProperty().bind(view.imageProperty().isNull());
    frame.getChildren().add(empty);
    view.fitWidthProperty().bind(frame.widthProperty().subtract(8));
    view.fitHeightProperty().bind(frame.heightProperty().subtract(8));
    caption.textProperty().bind(runs.previewCaptionProperty());
    caption.getStyleClass().add("muted");
    caption.setId("preview-caption");
    VBox.setVgrow(frame, javafx.scene.layout.Priority.ALWAYS);
    getChildren().addAll(title, frame, caption);
  }

  public ImageView view() {
    return view;
  }
}
