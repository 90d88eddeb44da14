package org.latentstudio.ui.panels;

import java.util.List;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.models.ModelCatalog;
import org.latentstudio.ui.models.ModelEntry;

/**
 * The checkpoints (and LoRAs, ControlNets, IP-Adapters and CLIP vision encoders) found in the model folders. Drag one onto the canvas, or
 * double-click it, to get the matching loader node with the model already chosen.
 */
public final class ModelsPanel extends VBox {
  private final ModelCatalog catalog;
  private final ListView<ModelEntry> list = new ListView<>();
  private final Label empty = new Label();
  private List<ModelEntry> models = List.of();

  public ModelsPanel(ModelCatalog catalog, String foldersHint, Consumer<ModelEntry> add) {
    this.catalog = catalog;
    getStyleClass().add("side-panel");
    setSpacing(6);
    setPadding(new Insets(6));
    list.setId("models-list");
    list.setCellFactory(v -> new ModelCell(add));
    VBox.setVgrow(list, Priority.ALWAYS);
    Button refresh = new Button("Rescan");
    refresh.setOnAction(e -> refresh());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Label title = new Label("Models");
    title.getStyleClass().add("panel-title");
    HBox bar = new HBox(6, title, spacer, refresh);
    bar.setAlignment(Pos.CENTER_LEFT);
    empty.setWrapText(true);
    empty.getStyleClass().add("muted");
    empty.setText("No models found. Checkpoints are folders with a model_index.json in " + foldersHint + ".");
    list.setPlaceholder(empty);
    getChildren().addAll(bar, list);
    refresh();
  }

  public void refresh() {
    models = catalog.scan();
    list.setItems(FXCollections.observableArrayList(models));
  }

  public List<ModelEntry> models() {
    return models;
  }

  public ListView<ModelEntry> list() {
    return list;
  }

  private static final class ModelCell extends ListCell<ModelEntry> {
    ModelCell(Consumer<ModelEntry> add) {
      setPrefWidth(0); // as wide as the list, not as its longest name: long names shorten instead of scrolling
      setOnMouseClicked(e -> {
        if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && getItem() != null) {
          add.accept(getItem());
        }
      });
      setOnDragDetected(e -> {
        if (getItem() != null) {
          var db = startDragAndDrop(TransferMode.COPY);
          ClipboardContent c = new ClipboardContent();
          c.put(GraphCanvas.MODEL_FORMAT, getItem().kind() + "\n" + getItem().name());
          db.setContent(c);
          e.consume();
        }
      });
    }

    @Override
    protected void updateItem(ModelEntry item, boolean isEmpty) {
      super.updateItem(item, isEmpty);
      if (isEmpty || item == null) {
        setText(null);
        setGraphic(null);
        setTooltip(null);
        return;
      }
      Label kind = new Label(item.kind());
      kind.getStyleClass().add("muted");
      Label name = new Label(item.name());
      // a long file name gives way (with an ellipsis) so the kind stays readable
      name.setMinWidth(0);
      kind.setMinWidth(Region.USE_PREF_SIZE);
      Region spacer = new Region();
      HBox.setHgrow(spacer, Priority.ALWAYS);
      HBox box = new HBox(6, name, spacer, kind);
      box.setAlignment(Pos.CENTER_LEFT);
      box.setMinWidth(0);
      box.prefWidthProperty().bind(getListView().widthProperty().subtract(24));
      setGraphic(box);
      setText(null);
      setTooltip(new Tooltip(item.path().toString()));
    }
  }
}
