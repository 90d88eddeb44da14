package org.latentstudio.ui.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import javafx.collections.ObservableList;
import javafx.geometry.VPos;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.ui.Palette;
import org.latentstudio.ui.widgets.WidgetContext;
import org.latentstudio.ui.widgets.WidgetView;

/**
 * A node's ports and widgets, with its resize grip. They are most of a node's scene nodes, so they are built
 * only when the node first shows its detail (see {@link LevelOfDetail}), taken out of the scene when it stops,
 * and built again when a resize changes the layout. The port handles, which wires and hit tests use whether or
 * not the dots show, come from the layout alone.
 */
final class NodeDetail {
  private final ObservableList<javafx.scene.Node> children;
  private final IntSupplier insertAt;
  private final WidgetContext ctx;
  private final NodeId id;
  private NodeLayout layout;

  private final Region grip = new Region();
  private final List<javafx.scene.Node> parts = new ArrayList<>();
  private final List<Circle> portDots = new ArrayList<>();
  private final List<Text> portLabels = new ArrayList<>();
  private final Map<String, WidgetView> widgets = new HashMap<>();
  private List<PortHandle> handles;
  private boolean built;
  private boolean shown;

  /**
   * @param children the node view's children, which the detail joins when shown
   * @param insertAt where in {@code children} the detail goes: after the title bar's parts
   */
  NodeDetail(ObservableList<javafx.scene.Node> children, IntSupplier insertAt, WidgetContext ctx, NodeId id,
      NodeLayout layout) {
    this.children = children;
    this.insertAt = insertAt;
    this.ctx = ctx;
    this.id = id;
    this.layout = layout;
    grip.getStyleClass().add("resize-grip");
    grip.setManaged(false);
    grip.setUserData(NodeView.Role.RESIZE);
  }

  boolean isShown() {
    return shown;
  }

  /** Puts the detail into the node view, or takes it out; false when it already was so. */
  boolean setShown(boolean on) {
    if (on == shown) {
      return false;
    }
    shown = on;
    if (on) {
      if (!built) {
        build();
      }
      children.addAll(insertAt.getAsInt(), parts);
    } else {
      children.removeAll(parts);
    }
    return true;
  }

  /** The node's size changed: new port places, and the parts built again if they were built. */
  void relayout(NodeLayout newLayout) {
    layout = newLayout;
    handles = null;
    if (!built) {
      return;
    }
    if (shown) {
      children.removeAll(parts);
    }
    build();
    if (shown) {
      children.addAll(insertAt.getAsInt(), parts);
    }
  }

  private void build() {
    parts.clear();
    portDots.clear();
    portLabels.clear();
    widgets.clear();
    for (NodeLayout.WidgetRow row : layout.widgets()) {
      WidgetView w = WidgetView.create(row.spec(), ctx);
      w.setManaged(false);
      widgets.put(row.spec().name(), w);
      parts.add(w);
    }
    for (NodeLayout.Port p : layout.inputs()) {
      addPort(p);
    }
    for (NodeLayout.Port p : layout.outputs()) {
      addPort(p);
    }
    if (!layout.isReroute()) {
      parts.add(grip);
    }
    built = true;
  }

  private void addPort(NodeLayout.Port p) {
    Circle dot = new Circle(NodeLayout.PORT_R);
    dot.getStyleClass().add("port");
    dot.setFill(Palette.of(p.type()));
    dot.setCenterX(p.x());
    dot.setCenterY(p.y());
    dot.setUserData(new PortHandle(id, p.name(), p.input(), p.type()));
    boolean widgetInput = p.input() && p.input0() != null && p.input0().hasWidget();
    if (!layout.isReroute() && !widgetInput) {
      Text label = new Text(WidgetView.label(p.name()));
      label.getStyleClass().add("port-label");
      label.setTextOrigin(VPos.CENTER);
      label.setMouseTransparent(true);
      label.setUserData(p);
      portLabels.add(label);
      parts.add(label);
    }
    portDots.add(dot);
    parts.add(dot);
  }

  /** Shows the node's values in the widgets; inputs fed by a wire show their source's name instead. */
  void showValues(Node node, Map<String, String> linked) {
    for (Map.Entry<String, WidgetView> e : widgets.entrySet()) {
      InputSpec spec = e.getValue().spec();
      e.getValue().update(node, WidgetValues.effective(node, spec), linked.get(e.getKey()));
    }
  }

  /** The ports of the node, whether or not their dots are shown. */
  List<PortHandle> portHandles() {
    if (handles == null) {
      List<PortHandle> out = new ArrayList<>();
      for (NodeLayout.Port p : layout.inputs()) {
        out.add(new PortHandle(id, p.name(), true, p.type()));
      }
      for (NodeLayout.Port p : layout.outputs()) {
        out.add(new PortHandle(id, p.name(), false, p.type()));
      }
      handles = List.copyOf(out);
    }
    return handles;
  }

  List<Circle> portDots() {
    return portDots;
  }

  Map<String, WidgetView> widgets() {
    return widgets;
  }

  /** Places the widgets and port labels for a node {@code w} wide. */
  void layout(double w) {
    for (NodeLayout.WidgetRow row : layout.widgets()) {
      WidgetView wv = widgets.get(row.spec().name());
      if (wv != null) {
        wv.resizeRelocate(row.x(), row.y(), row.width(), row.height());
      }
    }
    for (Text label : portLabels) {
      NodeLayout.Port p = (NodeLayout.Port) label.getUserData();
      double lw = label.getLayoutBounds().getWidth();
      label.setLayoutX(p.input() ? 12 : w - 12 - lw);
      label.setLayoutY(p.y());
    }
  }

  /** Puts the grip in the corner of a node {@code w} wide whose content ends at {@code bottom}. */
  void layoutGrip(double w, double bottom) {
    grip.resizeRelocate(w - 12, bottom - 12, 12, 12);
  }
}
