package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javafx.beans.property.DoubleProperty;
import javafx.collections.ObservableSet;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.DataFormat;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import org.latentstudio.edit.LinkRules;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.ui.Document;
import org.latentstudio.ui.search.NodeSearch;
import org.latentstudio.ui.search.NodeSearchBox;
import org.latentstudio.ui.widgets.WidgetContext;

/**
 * The node editor. It shows the {@link Document}'s graph and turns gestures into commands; it keeps only view
 * state: pan and zoom, the selection, and the temporary offsets of a drag in progress.
 *
 * <p>Layers, bottom to top: the {@link BackLayer} with the grid, the group frames and the wires (redrawn only
 * when something changes, and only what is in view); the node views, each rendered into a cached bitmap; an
 * overlay for the rubber band, the pointer hint, the node search and the inline title editor.
 *
 * <p>This class is the coordinator and the face the window and the tests see. The work is done by its parts:
 * {@link Viewport} (pan and zoom), {@link NodeViews} and {@link LevelOfDetail} (model to view),
 * {@link CanvasSelection}, {@link HitTest}, {@link MouseInput} with one {@link Gesture} class per drag,
 * {@link KeyBindings}, {@link ContextMenus}, {@link EditActions} and {@link ClipboardActions} (the commands),
 * {@link SearchPopup}, {@link PointerHint}, {@link InlineTitleEditor} and {@link ExternalDrop}.
 */
public final class GraphCanvas extends Region implements WidgetContext {
  /** Drag-and-drop format of a model from the models panel: "kind\nname". */
  public static final DataFormat MODEL_FORMAT = new DataFormat("application/x-latentstudio-model");

  /** Drag-and-drop format of a node type from the node library: its type id. */
  public static final DataFormat NODE_FORMAT = new DataFormat("application/x-latentstudio-node");

  private final Document doc;
  private final NodeCatalog catalog;
  private final LinkRules rules;
  private final GraphValidator validator;
  private CanvasHost host = CanvasHost.NONE;
  private Graph shown = Graph.empty();
  /** Where the pointer was last seen, in canvas pixels: where pastes, new groups and the space-bar search go. */
  private Point2D lastMouse = new Point2D(200, 150);
  /** The reason the last wire was refused, for the status bar and tests. */
  private String lastRefusal;

  private final javafx.scene.Group world = new javafx.scene.Group();
  private final Pane overlay = new Pane();
  private final Rectangle band = new Rectangle();

  private final Viewport viewport = new Viewport(this::viewChanged);
  private final HitTest hits = new HitTest(this);
  private final BackLayer backLayer = new BackLayer(this);
  private final NodeViews nodeViews = new NodeViews(this);
  private final CanvasSelection selected = new CanvasSelection(id -> nodeViews.get(id), this::requestRedraw);
  private final LevelOfDetail detail = new LevelOfDetail(this);
  private final EditActions edits = new EditActions(this);
  private final ClipboardActions clipboard = new ClipboardActions(this);
  private final SearchPopup searchPopup = new SearchPopup(this);
  private final PointerHint hint = new PointerHint(this);
  private final InlineTitleEditor titles = new InlineTitleEditor(this, overlay);
  private final ContextMenus menus = new ContextMenus(this, edits, titles);
  private final MouseInput mouse = new MouseInput(this, edits, titles, menus);

  public GraphCanvas(Document doc, NodeCatalog catalog) {
    this.doc = doc;
    this.catalog = catalog;
    this.rules = new LinkRules(catalog);
    this.validator = new GraphValidator(catalog);
    getStyleClass().add("graph-canvas");
    setFocusTraversable(true);
    setId("graph-canvas");
    Rectangle clip = new Rectangle();
    clip.widthProperty().bind(widthProperty());
    clip.heightProperty().bind(heightProperty());
    setClip(clip);
    world.getTransforms().setAll(viewport.transforms());
    world.setAutoSizeChildren(true);
    overlay.setPickOnBounds(false);
    overlay.setManaged(false);
    band.getStyleClass().add("rubber-band");
    band.setVisible(false);
    band.setMouseTransparent(true);
    overlay.getChildren().addAll(band, hint.label(), searchPopup.box());
    getChildren().addAll(backLayer.canvasNode(), world, overlay);

    doc.graphProperty().addListener((o, was, is) -> show(is));
    mouse.install();
    KeyBindings.install(this, mouse);
    addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, menus::requested);
    ExternalDrop.install(this);
    widthProperty().addListener(o -> requestRedraw());
    heightProperty().addListener(o -> requestRedraw());
    show(doc.graph());
  }

  public void setHost(CanvasHost host) {
    this.host = host == null ? CanvasHost.NONE : host;
  }

  /** Shows a new version of the graph: node views, wires, level of detail and selection follow it. */
  private void show(Graph g) {
    Graph before = shown;
    shown = g;
    nodeViews.sync(g);
    backLayer.graphChanged();
    detail.update();
    selected.graphChanged(before, g);
    requestRedraw();
  }

  /** After a pan or zoom: nodes come into view with their detail, and the back layer moves or repaints. */
  private void viewChanged() {
    detail.update();
    backLayer.viewMoved();
  }

  @Override
  protected void layoutChildren() {
    overlay.resize(getWidth(), getHeight());
    detail.update();
    requestRedraw();
  }

  // ---------------------------------------------------------------- view

  @Override
  public double zoom() {
    return viewport.zoom();
  }

  /** The zoom factor, for the toolbar's percentage. */
  public DoubleProperty zoomProperty() {
    return viewport.zoomProperty();
  }

  public Point2D panOffset() {
    return new Point2D(viewport.panX(), viewport.panY());
  }

  public void setView(double zoom, double panX, double panY) {
    viewport.set(zoom, panX, panY);
  }

  /** Zooms by {@code factor} keeping the canvas point under {@code screen} in place. */
  public void zoomAt(double factor, Point2D screen) {
    viewport.zoomAt(factor, screen);
  }

  public void zoomIn() {
    zoomAt(1.2, new Point2D(getWidth() / 2, getHeight() / 2));
  }

  public void zoomOut() {
    zoomAt(1 / 1.2, new Point2D(getWidth() / 2, getHeight() / 2));
  }

  public void resetZoom() {
    zoomAt(1 / zoom(), new Point2D(getWidth() / 2, getHeight() / 2));
  }

  public Point2D screenToWorld(Point2D screen) {
    return viewport.toWorld(screen);
  }

  public Point2D worldToScreen(Point2D w) {
    return viewport.toScreen(w);
  }

  /** Frames the whole graph (or the selection, if any) in the view. */
  public void fitToView() {
    viewport.frame(hits.contentBounds(!selection().isEmpty()), getWidth(), getHeight());
  }

  /** Selects a node and brings it into view, at a readable zoom (from the problems panel). */
  public void reveal(NodeId id) {
    NodeView v = view(id);
    if (v == null) {
      return;
    }
    clearSelection();
    selection().add(id);
    double z = Math.max(zoom(), 0.8);
    setView(z, getWidth() / 2 - (v.getLayoutX() + v.nodeWidth() / 2) * z,
        getHeight() / 2 - (v.getLayoutY() + v.nodeHeight() / 2) * z);
    requestFocus();
  }

  /** The middle of the visible canvas, in canvas units: where panels add nodes. */
  public Point2D viewCenter() {
    return screenToWorld(new Point2D(getWidth() / 2 - 120, getHeight() / 2 - 60));
  }

  public void requestRedraw() {
    backLayer.requestRedraw();
  }

  /** Paints grid, groups and wires now, over the view and its overscan margin. */
  public void paint() {
    backLayer.paint();
  }

  // ---------------------------------------------------------------- nodes and run marks

  public NodeView view(NodeId id) {
    return nodeViews.get(id);
  }

  public Map<NodeId, NodeView> views() {
    return nodeViews.all();
  }

  public Document document() {
    return doc;
  }

  public NodeCatalog catalog() {
    return catalog;
  }

  public void setRunState(NodeId id, NodeRunState state) {
    nodeViews.setRunState(id, state);
  }

  public NodeRunState runState(NodeId id) {
    return nodeViews.runState(id);
  }

  public void clearRunStates() {
    nodeViews.clearRunStates();
  }

  // ---------------------------------------------------------------- selection

  public ObservableSet<NodeId> selection() {
    return selected.nodes();
  }

  public ObservableSet<Integer> selectedGroups() {
    return selected.groups();
  }

  public void select(Set<NodeId> ids) {
    selected.select(ids);
  }

  public void selectAll() {
    selected.selectAll(shown);
  }

  public void clearSelection() {
    selected.clear();
  }

  // ---------------------------------------------------------------- edit actions

  public void deleteSelection() {
    edits.deleteSelection();
  }

  /** Puts the selection on the system clipboard as workflow JSON. */
  public boolean copySelection() {
    return clipboard.copy();
  }

  public void cutSelection() {
    clipboard.cut();
  }

  /**
   * Pastes workflow JSON from the system clipboard at the mouse.
   *
   * @param withConnections also keep the links that fed the copied nodes (Ctrl+Shift+V)
   */
  public boolean paste(boolean withConnections) {
    return clipboard.paste(withConnections);
  }

  /** Copies the selection and pastes it a little below and to the right, keeping its input links. */
  public void duplicateSelection() {
    clipboard.duplicate();
  }

  /** Mutes the selected nodes, or unmutes them if all are muted. */
  public void toggleMode(NodeMode mode) {
    edits.toggleMode(mode);
  }

  /** Frames the selected nodes in a new group. */
  public void groupSelection() {
    edits.groupSelection();
  }

  /** Adds a node of this type with its top-left corner at a canvas point, and selects it. */
  public Node addNode(NodeSchema schema, Point2D worldAt) {
    return edits.addNode(schema, worldAt);
  }

  /** Makes the loader node for a model dragged in from the models panel. */
  public Optional<Node> addLoaderFor(String kind, String modelName, Point2D worldAt) {
    return edits.addLoaderFor(kind, modelName, worldAt);
  }

  /** Files dropped at a canvas point (world coordinates): pictures become Load Image nodes, workflows open. */
  public void dropFiles(java.util.List<java.nio.file.Path> files, Point2D worldAt) {
    ExternalDrop.dropFiles(this, files, worldAt);
  }

  /** Adds a Load Image node for a picture file at a canvas point (world coordinates). */
  public Optional<Node> addImageLoader(java.nio.file.Path picture, Point2D worldAt) {
    return edits.addImageLoader(picture, worldAt);
  }

  /**
   * What a model dropped from the models panel at a canvas point becomes: a LoRA on a checkpoint's wire is put in
   * between it and its users; anything else gets its loader node there.
   */
  public Optional<Node> dropModel(String kind, String modelName, Point2D worldAt) {
    Link wire = kind.equals("lora") ? hits().wireAt(worldAt) : null;
    Optional<Node> inserted = wire == null ? Optional.empty() : edits.insertLoraOn(wire, modelName);
    return inserted.isPresent() ? inserted : edits.addLoaderFor(kind, modelName, worldAt);
  }

  /** Splits a wire with a reroute dot at a canvas point; one undo step. */
  public void insertReroute(Link wire, Point2D wp) {
    edits.insertReroute(wire, wp);
  }

  // ---------------------------------------------------------------- search and messages

  /** Opens the node search at a canvas position (in screen coordinates of this canvas). */
  public void openSearch(Point2D screenAt) {
    searchPopup.open(screenAt);
  }

  public NodeSearchBox searchBox() {
    return searchPopup.box();
  }

  public NodeSearch nodeSearch() {
    return searchPopup.search();
  }

  /** A short message next to the pointer: a refused wire, a model with no loader. */
  public void showHint(String text, Point2D screenAt) {
    hint.show(text, screenAt);
  }

  public Label hintLabel() {
    return hint.label();
  }

  /** The reason the last wire was refused, for the status bar and tests. */
  public String lastRefusal() {
    return lastRefusal;
  }

  // ---------------------------------------------------------------- WidgetContext

  @Override
  public void commit(NodeId node, String name, Object value) {
    if (shown.contains(node)) {
      doc.execute(new SetWidget(node, name, value));
    }
  }

  @Override
  public void beginGesture() {
    doc.beginGesture();
  }

  @Override
  public void endGesture() {
    doc.seal();
  }

  @Override
  public List<String> files(String kind) {
    return host.files(kind);
  }

  @Override
  public Optional<String> browse(String kind) {
    return host.browse(kind);
  }

  @Override
  public void returnFocus() {
    requestFocus();
  }

  // ---------------------------------------------------------------- for the parts

  /** The graph as last shown: the document's, once {@link #show} has caught up. */
  Graph graph() {
    return shown;
  }

  /** The layer of node views, in paint order: the last child is on top. */
  javafx.scene.Group nodeLayer() {
    return world;
  }

  Rectangle rubberBand() {
    return band;
  }

  Point2D lastMouse() {
    return lastMouse;
  }

  void pointerAt(Point2D screen) {
    lastMouse = screen;
  }

  /** The drag in progress, or null. */
  Gesture gesture() {
    return mouse.gesture();
  }

  void wireRefused(String reason) {
    lastRefusal = reason;
  }

  Viewport viewport() {
    return viewport;
  }

  HitTest hits() {
    return hits;
  }

  NodeViews nodeViews() {
    return nodeViews;
  }

  SearchPopup searchPopup() {
    return searchPopup;
  }

  PointerHint pointerHint() {
    return hint;
  }

  LinkRules rules() {
    return rules;
  }

  GraphValidator validator() {
    return validator;
  }

  CanvasHost host() {
    return host;
  }
}
