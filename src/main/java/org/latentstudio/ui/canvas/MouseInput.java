package org.latentstudio.ui.canvas;

import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;

/**
 * The mouse on the canvas. A press decides which {@link Gesture} starts, in order of precedence: a pan (middle
 * button, or space held), a wire from a port, a node resize or move, a group resize or move, else a rubber band;
 * that gesture then has the drag and the release to itself. Double-clicks rename a title, put a reroute on a
 * wire or open the search; the wheel zooms about the pointer. Presses inside the open node search are left to
 * it.
 */
final class MouseInput {
  private final GraphCanvas canvas;
  private final EditActions edits;
  private final InlineTitleEditor titles;
  private final ContextMenus menus;
  private Gesture gesture;
  private boolean spaceDown;
  private boolean spacePanned;
  /** A wire whose middle dot was pressed: its menu opens if the press ends as a click. */
  private Link selectWire;
  /** The node the press filter just added to the selection, so the press does not take it out again. */
  private NodeId lastAdded;

  MouseInput(GraphCanvas canvas, EditActions edits, InlineTitleEditor titles, ContextMenus menus) {
    this.canvas = canvas;
    this.edits = edits;
    this.titles = titles;
    this.menus = menus;
  }

  void install() {
    canvas.addEventFilter(MouseEvent.MOUSE_PRESSED, this::filterPress);
    canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
    canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
    canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
    canvas.addEventFilter(MouseEvent.MOUSE_MOVED, e -> {
      canvas.pointerAt(new Point2D(e.getX(), e.getY()));
      canvas.pointerHint().pointerMoved(canvas.lastMouse());
    });
    canvas.addEventFilter(MouseEvent.MOUSE_DRAGGED, e -> canvas.pointerAt(new Point2D(e.getX(), e.getY())));
    canvas.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
  }

  /** The drag in progress, or null. */
  Gesture gesture() {
    return gesture;
  }

  /** Escape: drops the gesture in progress, leaving the graph as it was; false when there was none. */
  boolean cancelGesture() {
    if (gesture == null) {
      return false;
    }
    gesture.cancel();
    gesture = null;
    canvas.requestRedraw();
    return true;
  }

  /** Space held: a left drag pans. */
  void spacePressed() {
    if (!spaceDown) {
      spaceDown = true;
      spacePanned = false;
      canvas.setCursor(Cursor.OPEN_HAND);
    }
  }

  /** Space let go: if it was only tapped, not used to pan, the node search opens at the pointer. */
  boolean spaceReleased() {
    if (!spaceDown) {
      return false;
    }
    spaceDown = false;
    canvas.setCursor(Cursor.DEFAULT);
    if (!spacePanned && gesture == null) {
      canvas.openSearch(canvas.lastMouse());
    }
    return true;
  }

  /** Before anything inside the canvas sees a press: focus, closing the search, selecting the pressed node. */
  private void filterPress(MouseEvent e) {
    javafx.scene.Node target = e.getPickResult().getIntersectedNode();
    if (canvas.searchPopup().contains(target)) {
      return;
    }
    if (canvas.searchBox().isOpen()) {
      canvas.searchBox().close();
    }
    boolean inEditor = false;
    for (javafx.scene.Node n = target; n != null; n = n.getParent()) {
      if (n instanceof javafx.scene.control.TextInputControl) {
        inEditor = true;
        break;
      }
    }
    if (!inEditor) {
      canvas.requestFocus();
    }
    // pressing a widget selects its node, as pressing the node does
    NodeView v = HitTest.owningView(target);
    lastAdded = null;
    if (v != null && e.getButton() == MouseButton.PRIMARY && !canvas.selection().contains(v.node().id())) {
      if (!e.isShiftDown() && !e.isShortcutDown()) {
        canvas.clearSelection();
      }
      canvas.selection().add(v.node().id());
      lastAdded = v.node().id();
    }
  }

  private void pressed(MouseEvent e) {
    if (canvas.searchPopup().contains(e.getPickResult().getIntersectedNode()) || e.isConsumed()) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    Point2D wp = canvas.screenToWorld(screen);
    if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && spaceDown)) {
      gesture = new PanGesture(canvas.viewport(), screen, () -> spacePanned = true);
      spacePanned = spaceDown;
      canvas.setCursor(Cursor.CLOSED_HAND);
      e.consume();
      return;
    }
    if (e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    Gesture started = startPrimary(e, screen, wp);
    if (started != null) {
      gesture = started;
    }
    e.consume();
  }

  /** The gesture a left press starts, or null when the press only took something out of the selection. */
  private Gesture startPrimary(MouseEvent e, Point2D screen, Point2D wp) {
    Object role = HitTest.pickedRole(e);
    PortHandle near = role instanceof PortHandle p ? p : role == NodeView.Role.RESIZE ? null : canvas.hits().portAt(wp);
    if (near != null) {
      return WireGesture.start(canvas, near, wp);
    }
    NodeView v = HitTest.owningView(e.getPickResult().getIntersectedNode());
    if (v != null) {
      NodeId id = v.node().id();
      if (role == NodeView.Role.RESIZE) {
        return new NodeResizeGesture(canvas, v, screen);
      }
      if (e.isShiftDown() || e.isShortcutDown()) {
        // the filter added it when it was not selected; a second shift-click removes it
        if (!justAdded(id)) {
          canvas.selection().remove(id);
          return null;
        }
      }
      v.toFront();
      return new MoveGesture(canvas, screen, Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups()));
    }
    HitTest.GroupHit gh = canvas.hits().groupAt(wp);
    if (gh != null && gh.part() == HitTest.GroupPart.RESIZE) {
      return new GroupResizeGesture(canvas, gh.index(), screen);
    }
    if (gh != null && gh.part() == HitTest.GroupPart.TITLE) {
      if (!canvas.selectedGroups().contains(gh.index())) {
        if (!e.isShiftDown()) {
          canvas.clearSelection();
        }
        canvas.selectedGroups().add(gh.index());
      } else if (e.isShiftDown()) {
        canvas.selectedGroups().remove(gh.index());
        return null;
      }
      return new MoveGesture(canvas, screen, Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups()));
    }
    Link wire = canvas.hits().wireMidpointAt(wp);
    if (wire != null && e.getClickCount() == 1) {
      selectWire = wire;
    }
    return new BandGesture(canvas, canvas.rubberBand(), screen, e.isShiftDown() || e.isShortcutDown(),
        () -> selectWire = null);
  }

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
      canvas.setCursor(Cursor.DEFAULT);
      canvas.requestRedraw();
      e.consume();
    }
  }

  private void clicked(MouseEvent e) {
    // a press on a wire's dot counts for this click only, whatever the click turns out to be
    Link pressedWire = selectWire;
    selectWire = null;
    if (canvas.searchPopup().contains(e.getPickResult().getIntersectedNode()) || e.getButton() != MouseButton.PRIMARY
        || !e.isStillSincePress()) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    Point2D wp = canvas.screenToWorld(screen);
    Object role = HitTest.pickedRole(e);
    if (e.getClickCount() == 2) {
      doubleClicked(e, role, screen, wp);
      return;
    }
    if (pressedWire != null && role == null) {
      menus.wireMenu(pressedWire, wp).show(canvas, e.getScreenX(), e.getScreenY());
    }
  }

  /** On a node's title: rename it; a group's title: rename it; a wire: add a reroute; else: search. */
  private void doubleClicked(MouseEvent e, Object role, Point2D screen, Point2D wp) {
    NodeView v = HitTest.owningView(e.getPickResult().getIntersectedNode());
    if (v != null) {
      if (role == NodeView.Role.TITLE) {
        titles.renameNode(v);
      }
      return;
    }
    HitTest.GroupHit gh = canvas.hits().groupAt(wp);
    if (gh != null && gh.part() == HitTest.GroupPart.TITLE) {
      titles.renameGroup(gh.index());
      return;
    }
    Link wire = canvas.hits().wireAt(wp);
    if (wire != null) {
      edits.insertReroute(wire, wp);
      return;
    }
    canvas.openSearch(screen);
  }

  private void scrolled(ScrollEvent e) {
    if (canvas.searchPopup().contains(e.getPickResult().getIntersectedNode())) {
      return;
    }
    if (e.getDeltaY() == 0) {
      return;
    }
    double factor = Math.pow(1.1, e.getDeltaY() / 40.0);
    canvas.zoomAt(factor, new Point2D(e.getX(), e.getY()));
    e.consume();
  }
}
