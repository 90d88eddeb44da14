package org.latentstudio.ui.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.ui.Palette;

/**
 * One node on the canvas: a title bar, typed port dots, widgets, and what the last run left on it (a progress
 * bar, a cached mark, the time it took, its result, or its error in red). It shows a {@link Node} record and
 * never changes the graph itself: gestures go through the canvas, which issues commands.
 *
 * <p>The view renders into a cached bitmap, so panning a large graph moves pictures instead of re-drawing
 * text and shapes.
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
  private static final double RESULT_IMAGE_MAX_H = 320;

  private final NodeSchema schema;
  private final boolean missing;
  private final WidgetContext ctx;
  private Node node;
  private NodeLayout layout;

  private final Text title = new Text();
  private Text badge;
  private Region progress;
  private final Region grip = new Region();
  private final List<Circle> portDots = new ArrayList<>();
  private final List<javafx.scene.Node> detail = new ArrayList<>();
  private List<PortHandle> handles;
  private boolean detailBuilt;
  private boolean detailed;
  private Map<String, String> linked = Map.of();
  private final List<Text> portLabels = new ArrayList<>();
  private final Map<String, WidgetView> widgets = new HashMap<>();
  private Text resultText;
  private ImageView resultImage;
  private Text errorText;
  private Region errorBox;

  private NodeRunState runState = NodeRunState.IDLE;
  private String fullTitle = "";

  public NodeView(NodeSchema schema, boolean missing, Node node, WidgetContext ctx) {
    this.schema = schema;
    this.missing = missing;
    this.ctx = ctx;
    this.node = node;
    getStyleClass().add("node-view");
    title.getStyleClass().add("node-title");
    title.setTextOrigin(VPos.CENTER);
    title.setManaged(false);
    title.setMouseTransparent(true);
    grip.getStyleClass().add("resize-grip");
    grip.setManaged(false);
    grip.setUserData(Role.RESIZE);
    pseudoClassStateChanged(MISSING, missing);
    this.layout = NodeLayout.of(schema, node);
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
    if (on == detailed) {
      return;
    }
    detailed = on;
    if (on) {
      if (!detailBuilt) {
        buildDetail();
      }
      getChildren().addAll(baseCount(), detail);
      applyWidgets();
    } else {
      getChildren().removeAll(detail);
    }
    requestLayout();
  }

  public boolean isDetailed() {
    return detailed;
  }

  /** The title, badge and progress bar come first; ports and widgets go after them. */
  private int baseCount() {
    int n = layout.isReroute() ? 0 : 1;
    if (badge != null) {
      n++;
    }
    if (progress != null) {
      n++;
    }
    return Math.min(n, getChildren().size());
  }

  private void ensureBadge() {
    if (badge == null && !layout.isReroute()) {
      badge = new Text();
      badge.getStyleClass().add("node-badge");
      badge.setTextOrigin(VPos.CENTER);
      badge.setManaged(false);
      badge.setMouseTransparent(true);
      progress = new Region();
      progress.getStyleClass().add("node-progress");
      progress.setManaged(false);
      progress.setMouseTransparent(true);
      progress.setVisible(false);
      getChildren().addAll(1, List.of(badge, progress));
    }
  }

  /** Whether a point in this node's coordinates lies on its title bar. */
  public boolean onTitle(double localY) {
    return localY <= NodeLayout.TITLE_H;
  }

  private void buildDetail() {
    detail.clear();
    portDots.clear();
    portLabels.clear();
    widgets.clear();
    for (NodeLayout.WidgetRow row : layout.widgets()) {
      WidgetView w = WidgetView.create(row.spec(), ctx);
      w.setManaged(false);
      widgets.put(row.spec().name(), w);
      detail.add(w);
    }
    for (NodeLayout.Port p : layout.inputs()) {
      addPort(p);
    }
    for (NodeLayout.Port p : layout.outputs()) {
      addPort(p);
    }
    if (!layout.isReroute()) {
      detail.add(grip);
    }
    detailBuilt = true;
  }

  /** Builds the ports and widgets again after the layout changed (a resize). */
  private void rebuildDetail() {
    if (!detailBuilt) {
      return;
    }
    if (detailed) {
      getChildren().removeAll(detail);
    }
    buildDetail();
    if (detailed) {
      getChildren().addAll(baseCount(), detail);
    }
  }

  /** The ports of this node, whether or not their dots are shown. */
  public List<PortHandle> portHandles() {
    if (handles == null) {
      List<PortHandle> out = new ArrayList<>();
      for (NodeLayout.Port p : layout.inputs()) {
        out.add(new PortHandle(node.id(), p.name(), true, p.type()));
      }
      for (NodeLayout.Port p : layout.outputs()) {
        out.add(new PortHandle(node.id(), p.name(), false, p.type()));
      }
      handles = List.copyOf(out);
    }
    return handles;
  }

  private void addPort(NodeLayout.Port p) {
    Circle dot = new Circle(NodeLayout.PORT_R);
    dot.getStyleClass().add("port");
    dot.setFill(Palette.of(p.type()));
    dot.setCenterX(p.x());
    dot.setCenterY(p.y());
    dot.setUserData(new PortHandle(node.id(), p.name(), p.input(), p.type()));
    boolean widgetInput = p.input() && p.input0() != null && p.input0().hasWidget();
    if (!layout.isReroute() && !widgetInput) {
      Text label = new Text(WidgetView.label(p.name()));
      label.getStyleClass().add("port-label");
      label.setTextOrigin(VPos.CENTER);
      label.setMouseTransparent(true);
      label.setUserData(p);
      portLabels.add(label);
      detail.add(label);
    }
    portDots.add(dot);
    detail.add(dot);
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
    return widgets.get(input);
  }

  public Map<String, WidgetView> widgets() {
    return widgets;
  }

  public NodeRunState runState() {
    return runState;
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
      handles = null;
      rebuildDetail();
    }
    applyNode(n, linkedFrom);
  }

  private void applyNode(Node n, Map<String, String> linkedFrom) {
    relocate(n.position().x(), n.position().y());
    fullTitle = n.titleOr(missing ? "Unknown: " + n.type() : schema.displayName());
    title.setText(fullTitle);
    pseudoClassStateChanged(MUTED, n.mode() == NodeMode.MUTED);
    pseudoClassStateChanged(BYPASSED, n.mode() == NodeMode.BYPASSED);
    linked = linkedFrom;
    if (detailed) {
      applyWidgets();
    }
    requestLayout();
  }

  private void applyWidgets() {
    for (Map.Entry<String, WidgetView> e : widgets.entrySet()) {
      InputSpec spec = e.getValue().spec();
      e.getValue().update(node, WidgetValues.effective(node, spec), linked.get(e.getKey()));
    }
  }

  public void setSelected(boolean selected) {
    pseudoClassStateChanged(SELECTED, selected);
  }

  public boolean isSelected() {
    return getPseudoClassStates().contains(SELECTED);
  }

  public void setRunState(NodeRunState state) {
    NodeRunState s = Objects.requireNonNull(state);
    if (s.equals(runState)) {
      return;
    }
    runState = s;
    pseudoClassStateChanged(RUNNING, s.phase() == NodeRunState.Phase.RUNNING);
    pseudoClassStateChanged(CACHED, s.phase() == NodeRunState.Phase.CACHED);
    pseudoClassStateChanged(DONE, s.phase() == NodeRunState.Phase.DONE);
    pseudoClassStateChanged(FAILED, s.phase() == NodeRunState.Phase.FAILED);
    ensureBadge();
    if (badge == null) {
      return;
    }
    progress.setVisible(s.phase() == NodeRunState.Phase.RUNNING);
    badge.setText(switch (s.phase()) {
      case IDLE -> "";
      case WAITING -> "\u2026";
      case RUNNING -> s.total() > 0 ? s.step() + "/" + s.total() : "running";
      case CACHED -> "\u26a1 cached";
      case DONE -> s.message();
      case FAILED -> "\u2716 error";
    });
    if (s.phase() == NodeRunState.Phase.FAILED) {
      showError(s.message());
    } else {
      showError(null);
    }
    requestLayout();
  }

  public String badgeText() {
    return badge == null ? "" : badge.getText();
  }

  public String errorMessage() {
    return errorText == null || !errorText.isVisible() ? null : errorText.getText();
  }

  private void showError(String message) {
    if (message == null || message.isBlank()) {
      if (errorText != null) {
        errorText.setVisible(false);
        errorBox.setVisible(false);
      }
      return;
    }
    if (errorText == null) {
      errorBox = new Region();
      errorBox.getStyleClass().add("node-error-box");
      errorBox.setManaged(false);
      errorText = new Text();
      errorText.getStyleClass().add("node-error");
      errorText.setTextOrigin(VPos.TOP);
      errorText.setManaged(false);
      getChildren().addAll(errorBox, errorText);
    }
    errorText.setText(message);
    errorText.setVisible(true);
    errorBox.setVisible(true);
  }

  /** Shows what the node produced: lines of text (a shown value) and a picture. Null clears. */
  public void setResult(String text, Image image) {
    if (text == null || text.isEmpty()) {
      if (resultText != null) {
        resultText.setVisible(false);
      }
    } else {
      if (resultText == null) {
        resultText = new Text();
        resultText.getStyleClass().add("node-result");
        resultText.setTextOrigin(VPos.TOP);
        resultText.setManaged(false);
        getChildren().add(resultText);
      }
      resultText.setText(text);
      resultText.setVisible(true);
    }
    if (image == null) {
      if (resultImage != null) {
        resultImage.setVisible(false);
      }
    } else {
      if (resultImage == null) {
        resultImage = new ImageView();
        resultImage.setPreserveRatio(true);
        resultImage.setSmooth(true);
        resultImage.setManaged(false);
        getChildren().add(resultImage);
      }
      resultImage.setImage(image);
      resultImage.setVisible(true);
    }
    requestLayout();
  }

  public String resultText() {
    return resultText == null || !resultText.isVisible() ? null : resultText.getText();
  }

  public Image resultImage() {
    return resultImage == null || !resultImage.isVisible() ? null : resultImage.getImage();
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
    return portDots;
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
    double extra = 0;
    if (resultText != null && resultText.isVisible()) {
      resultText.setWrappingWidth(w - 2 * NodeLayout.PAD);
      extra += resultText.getLayoutBounds().getHeight() + NodeLayout.PAD;
    }
    if (resultImage != null && resultImage.isVisible()) {
      extra += imageHeight(w) + NodeLayout.PAD;
    }
    if (errorText != null && errorText.isVisible()) {
      errorText.setWrappingWidth(w - 2 * NodeLayout.PAD - 8);
      extra += errorText.getLayoutBounds().getHeight() + 8 + NodeLayout.PAD;
    }
    return extra;
  }

  private double imageHeight(double w) {
    Image img = resultImage.getImage();
    double iw = w - 2 * NodeLayout.PAD;
    return Math.min(RESULT_IMAGE_MAX_H, img.getHeight() * iw / Math.max(1, img.getWidth()));
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
      double bw = badge == null ? 0 : badge.getLayoutBounds().getWidth();
      if (badge != null) {
        badge.setLayoutX(w - 10 - bw);
        badge.setLayoutY(NodeLayout.TITLE_H / 2);
      }
      double maxTitle = w - 20 - (bw > 0 ? bw + 8 : 0);
      title.setText(fullTitle);
      if (title.getLayoutBounds().getWidth() > maxTitle) {
        clipTitle(maxTitle);
      }
      if (progress != null) {
        progress.resizeRelocate(0, NodeLayout.TITLE_H - 3, w * runState.fraction(), 3);
      }
    }
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
    if (resultText != null && resultText.isVisible()) {
      resultText.setWrappingWidth(w - 2 * NodeLayout.PAD);
      resultText.relocate(NodeLayout.PAD, y);
      y += resultText.getLayoutBounds().getHeight() + NodeLayout.PAD;
    }
    if (resultImage != null && resultImage.isVisible()) {
      double iw = w - 2 * NodeLayout.PAD;
      double ih = imageHeight(w);
      resultImage.setFitWidth(iw);
      resultImage.setFitHeight(ih);
      resultImage.relocate(NodeLayout.PAD, y);
      y += ih + NodeLayout.PAD;
    }
    if (errorText != null && errorText.isVisible()) {
      errorText.setWrappingWidth(w - 2 * NodeLayout.PAD - 8);
      double eh = errorText.getLayoutBounds().getHeight() + 8;
      errorBox.resizeRelocate(NodeLayout.PAD, y, w - 2 * NodeLayout.PAD, eh);
      errorText.relocate(NodeLayout.PAD + 4, y + 4);
      y += eh + NodeLayout.PAD;
    }
    grip.resizeRelocate(w - 12, y - 12, 12, 12);
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
