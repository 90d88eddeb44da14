package org.latentstudio.ui.search;

import java.util.List;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.controlsfx.control.textfield.CustomTextField;
import org.controlsfx.control.textfield.TextFields;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortType;
import org.latentstudio.ui.Palette;

/**
 * The quick node search that opens on the canvas (double-click, Space, or a wire dropped on empty space):
 * a search field over a list of matching node types. Enter or a click adds the chosen one; Escape closes.
 * When it was opened by a wire, only types that can take the wire are listed, with the port they would use.
 */
public final class NodeSearchBox extends VBox {
  /** A choice: a node type and, for a wire drop, the port the wire will join. */
  public record Entry(NodeSchema schema, String port, PortType portType) {}

  private final NodeSearch search;
  private final Label heading = new Label();
  private final CustomTextField field = (CustomTextField) TextFields.createClearableTextField();
  private final ListView<Entry> list = new ListView<>();
  private List<Entry> candidates = List.of();
  private Consumer<Entry> onChoose = e -> {};
  private Runnable onClose = () -> {};

  public NodeSearchBox(NodeSearch search) {
    this.search = search;
    getStyleClass().add("node-search");
    setSpacing(6);
    setPadding(new Insets(8));
    setPrefWidth(360);
    setMaxHeight(Region.USE_PREF_SIZE);
    heading.getStyleClass().add("node-search-heading");
    field.setPromptText("Search nodes\u2026");
    field.setId("node-search-field");
    list.setId("node-search-list");
    list.setPrefHeight(300);
    list.setCellFactory(v -> new EntryCell());
    getChildren().addAll(heading, field, list);
    field.textProperty().addListener((o, was, is) -> refilter());
    field.addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
    list.addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
    list.setOnMouseClicked(e -> {
      if (e.getButton() == MouseButton.PRIMARY && list.getSelectionModel().getSelectedItem() != null) {
        choose(list.getSelectionModel().getSelectedItem());
      }
    });
  }

  public void open(String title, List<Entry> choices, Consumer<Entry> chosen, Runnable closed) {
    heading.setText(title);
    heading.setVisible(title != null && !title.isEmpty());
    heading.setManaged(heading.isVisible());
    candidates = List.copyOf(choices);
    onChoose = chosen;
    onClose = closed;
    field.clear();
    refilter();
    setVisible(true);
    field.requestFocus();
  }

  public boolean isOpen() {
    return isVisible();
  }

  public void close() {
    if (!isVisible()) {
      return;
    }
    setVisible(false);
    Runnable r = onClose;
    onClose = () -> {};
    r.run();
  }

  public TextField field() {
    return field;
  }

  public ListView<Entry> list() {
    return list;
  }

  private void refilter() {
    List<NodeSchema> schemas = candidates.stream().map(Entry::schema).toList();
    List<NodeSchema> found = search.search(schemas, field.getText());
    List<Entry> entries = found.stream()
        .map(s -> candidates.stream().filter(c -> c.schema() == s).findFirst().orElseThrow())
        .toList();
    list.setItems(FXCollections.observableArrayList(entries));
    if (!entries.isEmpty()) {
      list.getSelectionModel().select(0);
      list.scrollTo(0);
    }
  }

  private void keys(KeyEvent e) {
    switch (e.getCode()) {
      case ENTER -> {
        Entry sel = list.getSelectionModel().getSelectedItem();
        if (sel != null) {
          choose(sel);
        }
        e.consume();
      }
      case ESCAPE -> {
        close();
        e.consume();
      }
      case DOWN -> {
        int i = Math.min(list.getItems().size() - 1, list.getSelectionModel().getSelectedIndex() + 1);
        list.getSelectionModel().select(i);
        list.scrollTo(Math.max(0, i - 3));
        e.consume();
      }
      case UP -> {
        int i = Math.max(0, list.getSelectionModel().getSelectedIndex() - 1);
        list.getSelectionModel().select(i);
        list.scrollTo(Math.max(0, i - 3));
        e.consume();
      }
      default -> {
        if (e.getCode() == KeyCode.SPACE && e.getTarget() == list) {
          e.consume();
        }
      }
    }
  }

  private void choose(Entry entry) {
    search.used(entry.schema().typeId());
    Consumer<Entry> c = onChoose;
    onClose = () -> {};
    setVisible(false);
    c.accept(entry);
  }

  private static final class EntryCell extends ListCell<Entry> {
    private final Label name = new Label();
    private final Label category = new Label();
    private final Circle dot = new Circle(4);
    private final HBox box = new HBox(8);

    EntryCell() {
      category.getStyleClass().add("muted");
      Region spacer = new Region();
      HBox.setHgrow(spacer, Priority.ALWAYS);
      box.setAlignment(Pos.CENTER_LEFT);
      box.getChildren().addAll(dot, name, spacer, category);
    }

    @Override
    protected void updateItem(Entry item, boolean empty) {
      super.updateItem(item, empty);
      if (empty || item == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      name.setText(item.schema().displayName() + (item.port() == null ? "" : "  \u2192 " + item.port()));
      category.setText(item.schema().category());
      dot.setFill(item.portType() == null ? Palette.FG_MUTED : Palette.of(item.portType()));
      setText(null);
      setGraphic(box);
    }
  }
}
