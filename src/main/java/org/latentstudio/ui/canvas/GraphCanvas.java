package org.latentstudio.ui.canvas;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javafx.animation.PauseTransition;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.util.Duration;
import org.latentstudio.edit.AddGroup;
import org.latentstudio.edit.AddNodes;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.Connect;
import org.latentstudio.edit.Disconnect;
import org.latentstudio.edit.EditGroup;
import org.latentstudio.edit.Fragment;
import org.latentstudio.edit.LinkRules;
import org.latentstudio.edit.MoveItems;
import org.latentstudio.edit.NodeFactory;
import org.latentstudio.edit.PortMatching;
import org.latentstudio.edit.RemoveItems;
import org.latentstudio.edit.ResizeNode;
import org.latentstudio.edit.SetMode;
import org.latentstudio.edit.SetTitle;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.latentstudio.ui.ClipboardCodec;
import org.latentstudio.ui.Document;
import org.latentstudio.ui.Palette;
import org.latentstudio.ui.search.NodeSearch;
import org.latentstudio.ui.search.NodeSearchBox;

/**
 * The node editor. It shows the {@link Document}'s graph and turns gestures into commands; it keeps only view
 * state: pan and zoom, the selection, and the temporary offsets of a drag in progress.
 *
 * <p>Layers, bottom to top: one canvas for the grid, the group frames and the wires (redrawn only when
 * something changes, and only what is in view); the node views, each rendered into a cached bitmap; an
 * overlay for the rubber band, the node search and messages.
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

  private final javafx.scene.Group world = new javafx.scene.Group();
  private final Pane overlay = new Pane();
  private final Viewport viewport = new Viewport(this::viewChanged);
  private final HitTest hits = new HitTest(this);
  private final BackLayer backLayer = new BackLayer(this);
  private final Rectangle band = new Rectangle();
  private final Label hint = new Label();
  private final PauseTransition hintTimer = new PauseTransition(Duration.seconds(2.5));
  private final NodeSearch search = new NodeSearch();
  private final NodeSearchBox searchBox = new NodeSearchBox(search);

  private final NodeViews nodeViews = new NodeViews(this);
  private final CanvasSelection selected = new CanvasSelection(id -> nodeViews.get(id), this::requestRedraw);
  private final LevelOfDetail detail = new LevelOfDetail(this);
  private final EditActions edits = new EditActions(this);
  private final ClipboardActions clipboard = new ClipboardActions(this);
  private Graph shown = Graph.empty();

  private Gesture gesture;
  private Point2D lastMouse = new Point2D(200, 150);
  private boolean spaceDown;
  private boolean spacePanned;

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
    hint.getStyleClass().add("canvas-hint");
    hint.setVisible(false);
    hint.setMouseTransparent(true);
    hint.setManaged(false);
    hintTimer.setOnFinished(e -> hint.setVisible(false));
    searchBox.setVisible(false);
    searchBox.setManaged(false);
    overlay.getChildren().addAll(band, hint, searchBox);
    getChildren().addAll(backLayer.canvasNode(), world, overlay);

    doc.graphProperty().addListener((o, was, is) -> show(is));

    addEventFilter(MouseEvent.MOUSE_PRESSED, this::filterPress);
    addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
    addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
    addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
    addEventFilter(MouseEvent.MOUSE_MOVED, e -> {
      lastMouse = new Point2D(e.getX(), e.getY());
      hoverPort(lastMouse);
    });
    addEventFilter(MouseEvent.MOUSE_DRAGGED, e -> lastMouse = new Point2D(e.getX(), e.getY()));
    addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
    addEventHandler(KeyEvent.KEY_RELEASED, this::keyReleased);
    addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, this::contextMenu);
    setOnDragOver(this::dragOver);
    setOnDragDropped(this::dragDropped);
    widthProperty().addListener(o -> requestRedraw());
    heightProperty().addListener(o -> requestRedraw());
    show(doc.graph());
  }

  public void setHost(CanvasHost host) {
    this.host = host == null ? CanvasHost.NONE : host;
  }

  // ---------------------------------------------------------------- view state

  @Override
  public double zoom() {
    return viewport.zoom();
  }

  /** The zoom factor, for the toolbar's percentage. */
  public javafx.beans.property.DoubleProperty zoomProperty() {
    return viewport.zoomProperty();
  }

  public Point2D panOffset() {
    return new Point2D(viewport.panX(), viewport.panY());
  }

  public void setView(double zoom, double panX, double panY) {
    viewport.set(zoom, panX, panY);
  }

  /** After a pan or zoom: nodes come into view with their detail, and the back layer moves or repaints. */
  private void viewChanged() {
    detail.update();
    backLayer.viewMoved();
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

  // ---------------------------------------------------------------- model → view

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

  public NodeView view(NodeId id) {
    return nodeViews.get(id);
  }

  public Map<NodeId, NodeView> views() {
    return nodeViews.all();
  }

  /** The graph as last shown: the document's, once {@link #sync} has caught up. */
  Graph graph() {
    return shown;
  }

  /** The layer of node views, in paint order: the last child is on top. */
  javafx.scene.Group nodeLayer() {
    return world;
  }

  /** Where the pointer was last seen over the canvas, in canvas pixels: where pastes and new groups go. */
  Point2D lastMouse() {
    return lastMouse;
  }

  HitTest hits() {
    return hits;
  }

  NodeViews nodeViews() {
    return nodeViews;
  }

  LinkRules rules() {
    return rules;
  }

  CanvasHost host() {
    return host;
  }

  Viewport viewport() {
    return viewport;
  }

  GraphValidator validator() {
    return validator;
  }

  /** The drag in progress, or null. */
  Gesture gesture() {
    return gesture;
  }

  public Document document() {
    return doc;
  }

  public NodeCatalog catalog() {
    return catalog;
  }

  public NodeSearchBox searchBox() {
    return searchBox;
  }

  public NodeSearch nodeSearch() {
    return search;
  }

  // ---------------------------------------------------------------- run marks

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

  /** The middle of the visible canvas, in canvas units: where panels add nodes. */
  public Point2D viewCenter() {
    return screenToWorld(new Point2D(getWidth() / 2 - 120, getHeight() / 2 - 60));
  }

  /** Makes the loader node for a model dragged in from the models panel. */
  public Optional<Node> addLoaderFor(String kind, String modelName, Point2D worldAt) {
    return edits.addLoaderFor(kind, modelName, worldAt);
  }

  /** Splits a wire with a reroute dot at a canvas point; one undo step. */
  public void insertReroute(Link wire, Point2D wp) {
    edits.insertReroute(wire, wp);
  }

  // ---------------------------------------------------------------- search

  /** Opens the node search at a canvas position (in screen coordinates of this canvas). */
  public void openSearch(Point2D screenAt) {
    List<NodeSearchBox.Entry> all = catalog.schemas().stream()
        .map(s -> new NodeSearchBox.Entry(s, null, null)).toList();
    Point2D worldAt = screenToWorld(screenAt);
    showSearch(screenAt, "", all, e -> addNode(e.schema(), worldAt));
  }

  void showSearch(Point2D screenAt, String title, List<NodeSearchBox.Entry> entries,
      java.util.function.Consumer<NodeSearchBox.Entry> chosen) {
    searchBox.applyCss();
    searchBox.autosize();
    double w = searchBox.prefWidth(-1);
    double h = searchBox.prefHeight(w);
    double x = Math.max(4, Math.min(screenAt.getX(), getWidth() - w - 4));
    double y = Math.max(4, Math.min(screenAt.getY(), getHeight() - h - 4));
    searchBox.resizeRelocate(x, y, w, h);
    searchBox.open(title, entries, e -> {
      chosen.accept(e);
      requestFocus();
    }, () -> {
      requestRedraw();
      requestFocus();
    });
  }

  // ---------------------------------------------------------------- painting

  public void requestRedraw() {
    backLayer.requestRedraw();
  }

  /** Paints grid, groups and wires now, over the view and its overscan margin. */
  public void paint() {
    backLayer.paint();
  }

  // ---------------------------------------------------------------- mouse

  private void filterPress(MouseEvent e) {
    if (HitTest.isWithin(e.getPickResult().getIntersectedNode(), searchBox)) {
      return;
    }
    if (searchBox.isOpen()) {
      searchBox.close();
    }
    javafx.scene.Node target = e.getPickResult().getIntersectedNode();
    boolean inEditor = false;
    for (javafx.scene.Node n = target; n != null; n = n.getParent()) {
      if (n instanceof javafx.scene.control.TextInputControl) {
        inEditor = true;
        break;
      }
    }
    if (!inEditor) {
      requestFocus();
    }
    // pressing a widget selects its node, as pressing the node does
    NodeView v = HitTest.owningView(e.getPickResult().getIntersectedNode());
    lastAdded = null;
    if (v != null && e.getButton() == MouseButton.PRIMARY && !selection().contains(v.node().id())) {
      if (!e.isShiftDown() && !e.isShortcutDown()) {
        clearSelection();
      }
      selection().add(v.node().id());
      lastAdded = v.node().id();
    }
  }

  private void pressed(MouseEvent e) {
    if (HitTest.isWithin(e.getPickResult().getIntersectedNode(), searchBox) || e.isConsumed()) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    Point2D wp = screenToWorld(screen);
    if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && spaceDown)) {
      gesture = new PanGesture(viewport, screen, () -> spacePanned = true);
      spacePanned = spaceDown;
      setCursor(Cursor.CLOSED_HAND);
      e.consume();
      return;
    }
    if (e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    Object role = HitTest.pickedRole(e);
    PortHandle near = role instanceof PortHandle p ? p : role == NodeView.Role.RESIZE ? null : hits.portAt(wp);
    if (near != null) {
      gesture = WireGesture.start(this, near, wp);
      e.consume();
      return;
    }
    NodeView v = HitTest.owningView(e.getPickResult().getIntersectedNode());
    if (v != null) {
      NodeId id = v.node().id();
      if (role == NodeView.Role.RESIZE) {
        gesture = new NodeResizeGesture(this, v, screen);
        e.consume();
        return;
      }
      if (e.isShiftDown() || e.isShortcutDown()) {
        // the filter added it when it was not selected; a second shift-click removes it
        if (!justAdded(id)) {
          selection().remove(id);
          e.consume();
          return;
        }
      }
      v.toFront();
      gesture = new MoveGesture(this, screen, Set.copyOf(selection()), Set.copyOf(selectedGroups()));
      e.consume();
      return;
    }
    HitTest.GroupHit gh = hits.groupAt(wp);
    if (gh != null && gh.part() == HitTest.GroupPart.RESIZE) {
      gesture = new GroupResizeGesture(this, gh.index(), screen);
      e.consume();
      return;
    }
    if (gh != null && gh.part() == HitTest.GroupPart.TITLE) {
      if (!selectedGroups().contains(gh.index())) {
        if (!e.isShiftDown()) {
          clearSelection();
        }
        selectedGroups().add(gh.index());
      } else if (e.isShiftDown()) {
        selectedGroups().remove(gh.index());
        e.consume();
        return;
      }
      gesture = new MoveGesture(this, screen, Set.copyOf(selection()), Set.copyOf(selectedGroups()));
      e.consume();
      return;
    }
    Link wire = hits.wireMidpointAt(wp);
    if (wire != null && e.getClickCount() == 1) {
      selectWire = wire;
    }
    gesture = new BandGesture(this, band, screen, e.isShiftDown() || e.isShortcutDown(), () -> selectWire = null);
    e.consume();
  }

  private Link selectWire;
  private NodeId lastAdded;

  private boolean justAdded(NodeId id) {
    boolean r = id.equals(lastAdded);
    lastAdded = null;
    return r;
  }

  private void dragged(MouseEvent e) {
    if (gesture != null) {
      gesture.drag(new Point2D(e.getX(), e.getY()), e);
      e.consume();
    }
  }

  private void released(MouseEvent e) {
    if (gesture != null) {
      Gesture g = gesture;
      gesture = null;
      g.release(new Point2D(e.getX(), e.getY()), e);
      setCursor(Cursor.DEFAULT);
      requestRedraw();
      e.consume();
    }
  }

  private void clicked(MouseEvent e) {
    if (HitTest.isWithin(e.getPickResult().getIntersectedNode(), searchBox) || e.getButton() != MouseButton.PRIMARY || !e.isStillSincePress()) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    Point2D wp = screenToWorld(screen);
    Object role = HitTest.pickedRole(e);
    if (e.getClickCount() == 2) {
      NodeView v = HitTest.owningView(e.getPickResult().getIntersectedNode());
      if (v != null) {
        if (role == NodeView.Role.TITLE) {
          renameNode(v);
        }
        return;
      }
      HitTest.GroupHit gh = hits.groupAt(wp);
      if (gh != null && gh.part() == HitTest.GroupPart.TITLE) {
        renameGroup(gh.index());
        return;
      }
      Link wire = hits.wireAt(wp);
      if (wire != null) {
        insertReroute(wire, wp);
        return;
      }
      openSearch(screen);
      return;
    }
    if (selectWire != null && role == null) {
      Link w = selectWire;
      selectWire = null;
      wireMenu(w, wp).show(this, e.getScreenX(), e.getScreenY());
    }
  }

  private void scrolled(ScrollEvent e) {
    if (HitTest.isWithin(e.getPickResult().getIntersectedNode(), searchBox)) {
      return;
    }
    if (e.getDeltaY() == 0) {
      return;
    }
    double factor = Math.pow(1.1, e.getDeltaY() / 40.0);
    zoomAt(factor, new Point2D(e.getX(), e.getY()));
    e.consume();
  }

  private boolean insideSearch(javafx.scene.Node n) {
    for (; n != null; n = n.getParent()) {
      if (n == searchBox) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- keys

  private void keyPressed(KeyEvent e) {
    if (e.getTarget() != this) {
      return;
    }
    switch (e.getCode()) {
      case SPACE -> {
        if (!spaceDown) {
          spaceDown = true;
          spacePanned = false;
          setCursor(Cursor.OPEN_HAND);
        }
        e.consume();
      }
      case ESCAPE -> {
        if (gesture != null) {
          gesture.cancel();
          gesture = null;
          requestRedraw();
        } else {
          clearSelection();
        }
        e.consume();
      }
      case DELETE, BACK_SPACE -> {
        deleteSelection();
        e.consume();
      }
      case LEFT, RIGHT, UP, DOWN -> {
        double step = e.isShiftDown() ? 50 : 10;
        Vec2 d = switch (e.getCode()) {
          case LEFT -> new Vec2(-step, 0);
          case RIGHT -> new Vec2(step, 0);
          case UP -> new Vec2(0, -step);
          default -> new Vec2(0, step);
        };
        if (!selection().isEmpty() || !selectedGroups().isEmpty()) {
          doc.execute(new MoveItems(Set.copyOf(selection()), Set.copyOf(selectedGroups()), d));
        }
        e.consume();
      }
      default -> {
        if (e.isShortcutDown()) {
          shortcut(e);
        } else if (!e.isAltDown() && (e.getCode() == KeyCode.F || e.getCode() == KeyCode.PERIOD)) {
          fitToView();
          e.consume();
        }
      }
    }
  }

  private void shortcut(KeyEvent e) {
    boolean handled = true;
    switch (e.getCode()) {
      case C -> copySelection();
      case X -> cutSelection();
      case V -> paste(e.isShiftDown());
      case D -> duplicateSelection();
      case A -> selectAll();
      case G -> groupSelection();
      case M -> toggleMode(NodeMode.MUTED);
      case B -> toggleMode(NodeMode.BYPASSED);
      default -> handled = false;
    }
    if (handled) {
      e.consume();
    }
  }

  private void keyReleased(KeyEvent e) {
    if (e.getCode() == KeyCode.SPACE && spaceDown) {
      spaceDown = false;
      setCursor(Cursor.DEFAULT);
      if (!spacePanned && gesture == null) {
        openSearch(lastMouse);
      }
      e.consume();
    }
  }

  // ---------------------------------------------------------------- context menus and inline editors

  private void contextMenu(ContextMenuEvent e) {
    if (HitTest.isWithin(e.getPickResult().getIntersectedNode(), searchBox)) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    lastMouse = screen;
    Point2D wp = screenToWorld(screen);
    javafx.scene.Node picked = e.getPickResult().getIntersectedNode();
    NodeView v = null;
    for (javafx.scene.Node n = picked; n != null; n = n.getParent()) {
      if (n instanceof NodeView nv) {
        v = nv;
        break;
      }
    }
    ContextMenu menu;
    if (v != null) {
      if (!selection().contains(v.node().id())) {
        clearSelection();
        selection().add(v.node().id());
      }
      menu = nodeMenu(v);
    } else {
      HitTest.GroupHit gh = hits.groupAt(wp);
      Link wire = hits.wireAt(wp);
      if (wire != null) {
        menu = wireMenu(wire, wp);
      } else if (gh != null && gh.part() != HitTest.GroupPart.BODY) {
        menu = groupMenu(gh.index());
      } else {
        menu = canvasMenu(screen, gh);
      }
    }
    menu.show(this, e.getScreenX(), e.getScreenY());
    e.consume();
  }

  private static MenuItem item(String text, Runnable action) {
    MenuItem mi = new MenuItem(text);
    mi.setOnAction(a -> action.run());
    return mi;
  }

  private ContextMenu nodeMenu(NodeView v) {
    NodeMode mode = v.node().mode();
    return new ContextMenu(
        item("Rename\u2026", () -> renameNode(v)),
        item(mode == NodeMode.MUTED ? "Unmute" : "Mute", () -> toggleMode(NodeMode.MUTED)),
        item(mode == NodeMode.BYPASSED ? "Stop bypassing" : "Bypass", () -> toggleMode(NodeMode.BYPASSED)),
        new SeparatorMenuItem(),
        item("Copy", this::copySelection),
        item("Duplicate", this::duplicateSelection),
        item("Group selected", this::groupSelection),
        new SeparatorMenuItem(),
        item("Delete", this::deleteSelection));
  }

  private ContextMenu wireMenu(Link wire, Point2D wp) {
    return new ContextMenu(
        item("Insert reroute", () -> insertReroute(wire, wp)),
        item("Delete link", () -> edits.deleteLink(wire)));
  }

  private ContextMenu groupMenu(int index) {
    Group g = shown.groups().get(index);
    Menu colors = new Menu("Colour");
    Palette.GROUP_COLORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c -> {
      MenuItem mi = item(c.getKey(), () -> edits.recolourGroup(index, g, c.getValue()));
      mi.setGraphic(new Circle(5, Color.web(c.getValue())));
      colors.getItems().add(mi);
    });
    return new ContextMenu(
        item("Rename\u2026", () -> renameGroup(index)),
        colors,
        item("Fit to its nodes", () -> edits.fitGroup(index)),
        new SeparatorMenuItem(),
        item("Remove group", () -> edits.removeGroup(index)),
        item("Remove group and its nodes", () -> edits.removeGroupAndNodes(index)));
  }

  private ContextMenu canvasMenu(Point2D screen, HitTest.GroupHit inside) {
    Point2D wp = screenToWorld(screen);
    Menu add = new Menu("Add node");
    Map<String, Menu> byCategory = new LinkedHashMap<>();
    for (NodeSchema s : catalog.schemas()) {
      Menu m = byCategory.computeIfAbsent(s.category(), Menu::new);
      m.getItems().add(item(s.displayName(), () -> addNode(s, wp)));
    }
    add.getItems().addAll(byCategory.values());
    MenuItem paste = item("Paste", () -> paste(false));
    paste.setDisable(!Clipboard.getSystemClipboard().hasString());
    return new ContextMenu(
        item("Search nodes\u2026", () -> openSearch(screen)),
        add,
        item("Add note", () -> catalog.schema("Note").ifPresent(s -> addNode(s, wp))),
        item("Add group", () -> edits.addGroupAt(wp)),
        new SeparatorMenuItem(),
        paste,
        item("Select all", this::selectAll),
        item("Fit view", this::fitToView));
  }

  private void renameNode(NodeView v) {
    Node n = v.node();
    Point2D at = worldToScreen(new Point2D(v.getLayoutX(), v.getLayoutY()));
    inlineEdit(at, v.nodeWidth() * zoom(), n.titleOr(v.schema().displayName()),
        text -> doc.execute(new SetTitle(n.id(), text.equals(v.schema().displayName()) ? null : text)));
  }

  private void renameGroup(int index) {
    Group g = shown.groups().get(index);
    Point2D at = worldToScreen(new Point2D(g.bounds().x(), g.bounds().y()));
    inlineEdit(at, Math.max(160, g.bounds().width() * zoom()), g.title(), text -> {
      if (index < shown.groups().size()) {
        Group cur = shown.groups().get(index);
        doc.execute(new EditGroup(index, new Group(text, cur.color(), cur.bounds())));
        doc.seal();
      }
    });
  }

  private void inlineEdit(Point2D at, double width, String text, java.util.function.Consumer<String> done) {
    TextField field = new TextField(text);
    field.getStyleClass().add("inline-title-editor");
    field.setId("inline-editor");
    overlay.getChildren().add(field);
    field.resizeRelocate(at.getX(), at.getY(), Math.max(140, width), 28);
    boolean[] finished = {false};
    Runnable commit = () -> {
      if (!finished[0]) {
        finished[0] = true;
        overlay.getChildren().remove(field);
        done.accept(field.getText().strip());
        requestFocus();
      }
    };
    field.setOnAction(a -> commit.run());
    field.setOnKeyPressed(k -> {
      if (k.getCode() == KeyCode.ESCAPE) {
        finished[0] = true;
        overlay.getChildren().remove(field);
        requestFocus();
        k.consume();
      }
    });
    field.focusedProperty().addListener((o, was, is) -> {
      if (!is) {
        commit.run();
      }
    });
    field.requestFocus();
    field.selectAll();
  }

  // ---------------------------------------------------------------- drag and drop from outside

  private void dragOver(DragEvent e) {
    if (e.getDragboard().hasFiles() || e.getDragboard().hasContent(MODEL_FORMAT)
        || e.getDragboard().hasContent(NODE_FORMAT)) {
      e.acceptTransferModes(TransferMode.COPY);
      e.consume();
    }
  }

  private void dragDropped(DragEvent e) {
    boolean done = false;
    Point2D wp = screenToWorld(new Point2D(e.getX(), e.getY()));
    if (e.getDragboard().hasContent(NODE_FORMAT)) {
      Optional<NodeSchema> s = catalog.schema(String.valueOf(e.getDragboard().getContent(NODE_FORMAT)));
      s.ifPresent(schema -> addNode(schema, wp));
      done = s.isPresent();
    } else if (e.getDragboard().hasContent(MODEL_FORMAT)) {
      String[] parts = String.valueOf(e.getDragboard().getContent(MODEL_FORMAT)).split("\n", 2);
      if (parts.length == 2) {
        done = addLoaderFor(parts[0], parts[1], wp).isPresent();
      }
    } else if (e.getDragboard().hasFiles()) {
      List<Path> files = e.getDragboard().getFiles().stream().map(File::toPath).toList();
      host.filesDropped(files);
      done = true;
    }
    e.setDropCompleted(done);
    e.consume();
  }

  // ---------------------------------------------------------------- messages

  private PortHandle hovered;

  /** Over a port, its name and type show by the pointer, so a port's type never has to be guessed. */
  private void hoverPort(Point2D screen) {
    PortHandle p = gesture == null && zoom() >= 0.3 ? hits.portAt(screenToWorld(screen)) : null;
    if (java.util.Objects.equals(p, hovered)) {
      return;
    }
    hovered = p;
    if (p == null) {
      if (hint.getStyleClass().contains("info")) {
        hint.setVisible(false);
      }
      return;
    }
    PortType t = p.input() ? p.type() : validator.outputType(shown, p.ref());
    showHint(p.port() + ": " + t, screen);
    hint.getStyleClass().add("info");
  }

  /** A short message next to the pointer (a refused wire), and in the status bar. */
  public void showHint(String text, Point2D screenAt) {
    hint.getStyleClass().remove("info");
    hint.setText(text);
    hint.applyCss();
    hint.autosize();
    hint.relocate(Math.min(screenAt.getX() + 14, Math.max(0, getWidth() - hint.getWidth() - 4)),
        Math.max(0, screenAt.getY() - 30));
    hint.setVisible(true);
    hintTimer.playFromStart();
  }

  public Label hintLabel() {
    return hint;
  }

  // ---------------------------------------------------------------- WidgetContext

  @Override
  public void commit(NodeId node, String name, Object value) {
    if (shown.contains(node)) {
      doc.execute(new SetWidget(node, name, value));
    }
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

  // ---------------------------------------------------------------- layout

  @Override
  protected void layoutChildren() {
    overlay.resize(getWidth(), getHeight());
    detail.update();
    requestRedraw();
  }

  /** The reason the last wire was refused, for the status bar and tests. */
  private String lastRefusal;

  public String lastRefusal() {
    return lastRefusal;
  }

  void wireRefused(String reason) {
    lastRefusal = reason;
  }
}
