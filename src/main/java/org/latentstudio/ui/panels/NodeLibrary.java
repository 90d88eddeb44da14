package org.latentstudio.ui.panels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.controlsfx.control.textfield.TextFields;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.ui.Palette;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.search.NodeSearch;

/**
 * Every node type by category, from the same catalog as the canvas search, so the two always agree. Type to
 * filter; double-click or Enter adds the node in the middle of the view; drag one onto the canvas to place it.
 */
public final class NodeLibrary extends VBox {
  private final NodeCatalog catalog;
  private final NodeSearch search;
  private final TextField filter = TextFields.createClearableTextField();
  private final TreeView<Object> tree = new TreeView<>();
  private final Consumer<NodeSchema> add;

  public NodeLibrary(NodeCatalog catalog, NodeSearch search, Consumer<NodeSchema> add) {
    this.catalog = catalog;
    this.search = search;
    this.add = add;
    getStyleClass().add("side-panel");
    setSpacing(6);
    setPadding(new Insets(6));
    filter.setPromptText("Filter nodes");
    filter.setId("library-filter");
    tree.setId("node-library");
    tree.setShowRoot(false);
    tree.setCellFactory(t -> new SchemaCell());
    VBox.setVgrow(tree, Priority.ALWAYS);
    getChildren().addAll(filter, tree);
    filter.textProperty().addListener((o, was, is) -> rebuild());
    tree.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER) {
        addSelected();
        e.consume();
      }
    });
    rebuild();
  }

  public TreeView<Object> tree() {
    return tree;
  }

  public TextField filter() {
    return filter;
  }

  /** Rebuilds the tree from the catalog (after node types were registered, say). */
  public void rebuild() {
    List<NodeSchema> shown = filter.getText() == null || filter.getText().isBlank()
        ? catalog.schemas() : search.search(catalog.schemas(), filter.getText());
    Map<String, TreeItem<Object>> categories = new LinkedHashMap<>();
    TreeItem<Object> root = new TreeItem<>("root");
    boolean filtering = filter.getText() != null && !filter.getText().isBlank();
    for (NodeSchema s : shown) {
      TreeItem<Object> cat = categories.computeIfAbsent(s.category(), c -> {
        TreeItem<Object> item = new TreeItem<>(c);
        item.setExpanded(true);
        root.getChildren().add(item);
        return item;
      });
      cat.getChildren().add(new TreeItem<>(s));
    }
    tree.setRoot(root);
    if (filtering && !shown.isEmpty()) {
      tree.getSelectionModel().select(categories.values().iterator().next().getChildren().get(0));
    }
  }

  private void addSelected() {
    TreeItem<Object> sel = tree.getSelectionModel().getSelectedItem();
    if (sel != null && sel.getValue() instanceof NodeSchema s) {
      add.accept(s);
    }
  }

  private final class SchemaCell extends TreeCell<Object> {
    SchemaCell() {
      // as wide as the panel, never wider: a long name ends in "..." (its tooltip has it whole) instead of giving
      // the whole list a sideways scroll bar
      setPrefWidth(0);
      setOnMouseClicked(e -> {
        if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && getItem() instanceof NodeSchema s) {
          add.accept(s);
        }
      });
      setOnDragDetected(e -> {
        if (getItem() instanceof NodeSchema s) {
          var db = startDragAndDrop(TransferMode.COPY);
          ClipboardContent c = new ClipboardContent();
          c.put(GraphCanvas.NODE_FORMAT, s.typeId());
          db.setContent(c);
          e.consume();
        }
      });
    }

    @Override
    protected void updateItem(Object item, boolean empty) {
      super.updateItem(item, empty);
      setTooltip(null);
      if (empty || item == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      if (item instanceof NodeSchema s) {
        setText(null);
        HBox dots = new HBox(2);
        for (OutputSpec o : s.outputs()) {
          dots.getChildren().add(new Circle(3.5, Palette.of(o.type())));
        }
        dots.setMinWidth(Region.USE_PREF_SIZE);
        Label name = new Label(s.displayName());
        HBox box = new HBox(6, name, dots);
        box.setMinWidth(0);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        setGraphic(box);
        setTooltip(new Tooltip(describe(s)));
      } else {
        setGraphic(null);
        setText(String.valueOf(item));
      }
    }
  }

  static String describe(NodeSchema s) {
    StringBuilder sb = new StringBuilder(s.displayName()).append("  (").append(s.typeId()).append(")");
    if (!s.description().isBlank()) {
      sb.append("\n").append(s.description());
    }
    if (!s.inputs().isEmpty()) {
      sb.append("\nInputs: ");
      sb.append(String.join(", ", s.inputs().stream().map(InputSpec::name).map(n -> n).toList()));
    }
    if (!s.outputs().isEmpty()) {
      sb.append("\nOutputs: ");
      sb.append(String.join(", ", s.outputs().stream().map(o -> o.name() + " " + o.type()).toList()));
    }
    return sb.toString();
  }
}
