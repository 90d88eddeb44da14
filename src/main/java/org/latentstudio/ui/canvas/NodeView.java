package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.image.Image;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.ui.widgets.WidgetContext;
import org.latentstudio.ui.widgets.WidgetView;

/**
 * One node on the canvas: a title bar, typed port dots, widgets, and what the last run left on it (a progress
 * bar, a cached mark, the time it took, its result, or its error in red). It shows a {@link Node} record and
 * never changes the graph itself: gestures go through the canvas, which issues commands.
 *
 * <p>The view renders into a cached bitmap, so panning a large graph moves pictures instead of re-drawing
 * text and shapes. It draws the frame and title itself; its ports and widgets are a {@link NodeDetail}, the run's
 * marks a {@link NodeRunMarks} and the result a {@link NodeResult}, each adding its scene nodes to this one.
 */
public final class NodeView extends Region {
  private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
  private static final PseudoClass MUTED = PseudoClass.getPseudoClass("muted");
  private static final PseudoClass BYPASSED = PseudoClass.getPseudoClass("bypassed");
  private static final PseudoClass RUNNING = PseudoClass.getPseudoClass("running");
  private static final PseudoClass CACHED = PseudoClass.getPseudoClass("cached");
  private static final PseudoClass DONE = PseudoClass.getPseudoClass("done");
  private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
  private static final PseudoClass MISSING = PseudoClass.getPseudoClass("missing");

  private final NodeSchema schema;
  private final boolean missing;
  private Node node;
  private NodeLayout layout;

  private final Text title = new Text();
  private String fullTitle = "";
  private Map<String, String> linked = Map.of();
  private final NodeRunMarks marks;
  private final NodeDetail detail;
  private final NodeResult result;

  public NodeView(NodeSchema schema, boolean missing, Node node, WidgetContext ctx) {
    this.schema = schema;
    this.missing = missing;
    this.node = node;
    getStyleClass().add("node-view");
    title.getStyleClass().add("node-title");
    title.setTextOrigin(VPos.CENTER);
    title.setManaged(false);
    title.setMouseTransparent(true);
    pseudoClassStateChanged(MISSING, missing);
    this.layout = NodeLayout.of(schema, node);
    this.marks = new NodeRunMarks(getChildren(), layout.isReroute());
    this.detail = new NodeDetail(getChildren(), this::titleBarCount, ctx, node.id(), layout);
    this.result = new NodeResult(getChildren());
    if (layout.isReroute()) {
      getStyleClass().add("reroute");
    }
    if (layout.isNote()) {
      getStyleClass().add("note");
    }
    if (!layout.isReroute()) {
      getChildren().add(title);
    }
    setCache(true);
    applyNode(node, Map.of());
  }

  /** What a part of the node does when pressed; the canvas reads it from the picked shape. */
  public enum Role { TITLE, RESIZE }

  /**
   * Shows or hides the ports and widgets. Far from the view or zoomed out, a node is only its frame and
   * title, which keeps big graphs quick to open and to pan; the canvas switches detail on for nodes in view.
   */
  public void setDetailed(boolean on) {
    if (!detail.setShown(on)) {
      return;
    }
    if (on) {
      detail.showValues(node, linked);
    }
    requestLayout();
  }

  public boolean isDetailed() {
    return detail.isShown();
  }

  /** The title, badge and progress bar come first; ports and widgets go after them. */
  private int titleBarCount() {
    int n = (layout.isReroute() ? 0 : 1) + marks.titleBarParts();
    return Math.min(n, getChildren().size());
  }

  /** Whether a point in this node's coordinates lies on its title bar. */
  public boolean onTitle(double localY) {
    return localY <= NodeLayout.TITLE_H;
  }

  /** The ports of this node, whether or not their dots are shown. */
  public List<PortHandle> portHandles() {
    return detail.portHandles();
  }

  public Node node() {
    return node;
  }

  public NodeSchema schema() {
    return schema;
  }

  public NodeLayout nodeLayout() {
    return layout;
  }

  public boolean isMissing() {
    return missing;
  }

  public WidgetView widget(String input) {
    return detail.widgets().get(input);
  }

  public Map<String, WidgetView> widgets() {
    return detail.widgets();
  }

  public NodeRunState runState() {
    return marks.state();
  }

  /**
   * Shows a new version of the node.
   *
   * @param linkedFrom for each input fed by a wire, a short name of its source, shown instead of the widget
   */
  public void update(Node n, Map<String, String> linkedFrom) {
    Node old = node;
    node = n;
    if (!old.size().equals(n.size())) {
      layout = NodeLayout.of(schema, n);
      detail.relayout(layout);
    }
    applyNode(n, linkedFrom);
  }

  private void applyNode(Node n, Map<String, String> linkedFrom) {
    relocate(n.position().x(), n.position().y());
    fullTitle = n.titleOr(missing ? "Unsupported: " + n.type() : schema.displayName());
    title.setText(fullTitle);
    pseudoClassStateChanged(MUTED, n.mode() == NodeMode.MUTED);
    pseudoClassStateChanged(BYPASSED, n.mode() == NodeMode.BYPASSED);
    linked = linkedFrom;
    if (detail.isShown()) {
      detail.showValues(node, linked);
    }
    requestLayout();
  }

  public void setSelected(boolean selected) {
    pseudoClassStateChanged(SELECTED, selected);
  }

  public boolean isSelected() {
    return getPseudoClassStates().contains(SELECTED);
  }

  public void setRunState(NodeRunState state) {
    NodeRunState s = Objects.requireNonNull(state);
    if (s.equals(marks.state())) {
      return;
    }
    pseudoClassStateChanged(RUNNING, s.phase() == NodeRunState.Phase.RUNNING);
    pseudoClassStateChanged(CACHED, s.phase() == NodeRunState.Phase.CACHED);
    pseudoClassStateChanged(DONE, s.phase() == NodeRunState.Phase.DONE);
    pseudoClassStateChanged(FAILED, s.phase() == NodeRunState.Phase.FAILED);
    if (marks.show(s)) {
      requestLayout();
    }
  }

  public String badgeText() {
    return marks.badgeText();
  }

  public String errorMessage() {
    return marks.errorMessage();
  }

  /** Shows what the node produced: lines of text (a shown value) and a picture. Null clears. */
  public void setResult(String text, Image image) {
    result.show(text, image);
    requestLayout();
  }

  public String resultText() {
    return result.text();
  }

  public Image resultImage() {
    return result.image();
  }

  /** Where a port's dot is, in canvas units, following the node while it is dragged. */
  public Point2D portPosition(String port, boolean input) {
    double x = getLayoutX() + getTranslateX();
    double y = getLayoutY() + getTranslateY();
    NodeLayout.Port p = layout.port(port, input);
    if (p != null) {
      return new Point2D(x + p.x(), y + p.y());
    }
    return new Point2D(x + (input ? 0 : layout.width()), y + NodeLayout.TITLE_H / 2);
  }

  /** The dots of this node while its detail shows. */
  public List<Circle> portDots() {
    return detail.portDots();
  }

  public double nodeWidth() {
    return layout.width();
  }

  public double nodeHeight() {
    return layout.height() + extraHeight();
  }

  /** Room for the result and the error below the widgets. */
  private double extraHeight() {
    double w = layout.width();
    double extra = result.height(w);
    extra += marks.errorHeight(w);
    return extra;
  }

  @Override
  protected double computePrefWidth(double height) {
    return layout.width();
  }

  @Override
  protected double computePrefHeight(double width) {
    return nodeHeight();
  }

  @Override
  protected void layoutChildren() {
    double w = layout.width();
    double y = layout.height();
    if (!layout.isReroute()) {
      title.setLayoutX(10);
      title.setLayoutY(NodeLayout.TITLE_H / 2);
      double bw = marks.layoutTitleBar(w);
      double maxTitle = w - 20 - (bw > 0 ? bw + 8 : 0);
      title.setText(fullTitle);
      if (title.getLayoutBounds().getWidth() > maxTitle) {
        clipTitle(maxTitle);
      }
    }
    detail.layout(w);
    y = result.layout(w, y);
    y = marks.layoutError(w, y);
    detail.layoutGrip(w, y);
  }

  private void clipTitle(double maxWidth) {
    String full = title.getText();
    int n = full.length();
    while (n > 1 && title.getLayoutBounds().getWidth() > maxWidth) {
      n--;
      title.setText(full.substring(0, n) + "\u2026");
    }
  }

  @Override
  public String toString() {
    return "NodeView[" + node.id() + "]";
  }
}
