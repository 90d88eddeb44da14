package org.latentstudio.ui.panels;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;
import org.latentstudio.edit.SetMode;
import org.latentstudio.edit.SetTitle;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.ui.Document;

/**
 * The selected node's title, mode and values in a ControlsFX property sheet; edits become commands like any
 * other, so they undo the same way.
 */
public final class PropertiesPanel extends VBox {
  private final Document doc;
  private final NodeCatalog catalog;
  private final PropertySheet sheet = new PropertySheet();
  private final Label heading = new Label("Nothing selected");
  private NodeId shown;
  private boolean applying;
  /** Held here: a binding that only listeners refer to is collected and falls silent. */
  private final ObservableValue<NodeId> selected;

  public PropertiesPanel(Document doc, NodeCatalog catalog, ObservableValue<NodeId> selected) {
    this.doc = doc;
    this.catalog = catalog;
    this.selected = selected;
    getStyleClass().add("side-panel");
    setSpacing(4);
    setPadding(new Insets(6));
    heading.getStyleClass().add("panel-title");
    sheet.setId("properties");
    sheet.setModeSwitcherVisible(false);
    sheet.setSearchBoxVisible(false);
    sheet.setMode(PropertySheet.Mode.CATEGORY);
    DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
    sheet.setPropertyEditorFactory(item -> {
      if (item instanceof WidgetItem w && w.spec.hasChoices()) {
        PropertyEditor<?> ed = Editors.createChoiceEditor(item, w.spec.choices());
        return ed;
      }
      return defaults.call(item);
    });
    VBox.setVgrow(sheet, Priority.ALWAYS);
    getChildren().addAll(heading, sheet);
    this.selected.addListener((o, was, is) -> show(is));
    doc.graphProperty().addListener((o, was, is) -> {
      if (!applying && shown != null && (!is.contains(shown) || !is.require(shown).equals(was.node(shown).orElse(null)))) {
        show(is.contains(shown) ? shown : null);
      }
    });
  }

  public PropertySheet sheet() {
    return sheet;
  }

  private void show(NodeId id) {
    shown = id;
    Graph g = doc.graph();
    if (id == null || !g.contains(id)) {
      heading.setText("Nothing selected");
      sheet.getItems().clear();
      return;
    }
    Node n = g.require(id);
    Optional<NodeSchema> schema = catalog.schema(n.type());
    heading.setText(n.titleOr(schema.map(NodeSchema::displayName).orElse(n.type())) + "  \u00b7  " + n.id());
    List<PropertySheet.Item> items = new ArrayList<>();
    items.add(new NodeItem("Title", "Node", String.class, n.title() == null ? "" : n.title(),
        v -> apply(new SetTitle(id, (String) v))));
    items.add(new NodeItem("Mode", "Node", NodeMode.class, n.mode(),
        v -> apply(new SetMode(java.util.Set.of(id), (NodeMode) v))));
    schema.ifPresent(s -> {
      for (InputSpec in : s.inputs()) {
        if (in.hasWidget() && g.linkInto(new org.latentstudio.graph.PortRef(id, in.name())).isEmpty()) {
          items.add(new WidgetItem(id, in, WidgetValues.effective(n, in)));
        }
      }
    });
    sheet.getItems().setAll(FXCollections.observableArrayList(items));
  }

  /** Edits from the sheet itself must not rebuild the sheet under the user's cursor. */
  private void apply(org.latentstudio.edit.Command c) {
    applying = true;
    try {
      doc.execute(c);
    } finally {
      applying = false;
    }
  }

  private abstract static class BaseItem implements PropertySheet.Item {
    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
      return Optional.empty();
    }

    @Override
    public String getDescription() {
      return "";
    }
  }

  private static final class NodeItem extends BaseItem {
    private final String name;
    private final String category;
    private final Class<?> type;
    private Object value;
    private final java.util.function.Consumer<Object> set;

    NodeItem(String name, String category, Class<?> type, Object value, java.util.function.Consumer<Object> set) {
      this.name = name;
      this.category = category;
      this.type = type;
      this.value = value;
      this.set = set;
    }

    @Override
    public Class<?> getType() {
      return type;
    }

    @Override
    public String getCategory() {
      return category;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Object getValue() {
      return value;
    }

    @Override
    public void setValue(Object v) {
      if (v != null && !v.equals(value)) {
        value = v;
        set.accept(v);
      }
    }
  }

  private final class WidgetItem extends BaseItem {
    private final NodeId node;
    private final InputSpec spec;
    private Object value;

    WidgetItem(NodeId node, InputSpec spec, Object value) {
      this.node = node;
      this.spec = spec;
      this.value = value;
    }

    @Override
    public Class<?> getType() {
      return switch (spec.type()) {
        case INT -> Long.class;
        case FLOAT -> Double.class;
        case BOOLEAN -> Boolean.class;
        default -> String.class;
      };
    }

    @Override
    public String getCategory() {
      return "Values";
    }

    @Override
    public String getName() {
      return spec.name();
    }

    @Override
    public String getDescription() {
      return spec.tooltip() == null ? "" : spec.tooltip();
    }

    @Override
    public Object getValue() {
      return value;
    }

    @Override
    public void setValue(Object v) {
      if (v == null || v.equals(value)) {
        return;
      }
      Object coerced;
      try {
        coerced = WidgetValues.coerce(spec, v);
      } catch (IllegalArgumentException e) {
        return;
      }
      value = coerced;
      apply(new SetWidget(node, spec.name(), coerced));
    }
  }
}
