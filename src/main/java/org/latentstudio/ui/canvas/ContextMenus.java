package org.latentstudio.ui.canvas;

import java.util.LinkedHashMap;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.ui.Palette;

/**
 * The right-click menus: for a node (acting on the selection, which the click joins), a wire, a group's title or
 * corner, and the empty canvas. They hold no logic of their own; each item calls the canvas action that the
 * keys and the window's menus call too.
 */
final class ContextMenus {
  private final GraphCanvas canvas;
  private final EditActions edits;
  private final InlineTitleEditor titles;

  ContextMenus(GraphCanvas canvas, EditActions edits, InlineTitleEditor titles) {
    this.canvas = canvas;
    this.edits = edits;
    this.titles = titles;
  }

  /** Picks the menu for what is under the pointer and shows it. */
  void requested(ContextMenuEvent e) {
    javafx.scene.Node picked = e.getPickResult().getIntersectedNode();
    if (canvas.searchPopup().contains(picked)) {
      return;
    }
    Point2D screen = new Point2D(e.getX(), e.getY());
    canvas.pointerAt(screen);
    Point2D wp = canvas.screenToWorld(screen);
    NodeView v = HitTest.owningView(picked);
    ContextMenu menu;
    if (v != null) {
      if (!canvas.selection().contains(v.node().id())) {
        canvas.clearSelection();
        canvas.selection().add(v.node().id());
      }
      menu = nodeMenu(v);
    } else {
      HitTest.GroupHit gh = canvas.hits().groupAt(wp);
      Link wire = canvas.hits().wireAt(wp);
      if (wire != null) {
        menu = wireMenu(wire, wp);
      } else if (gh != null && gh.part() != HitTest.GroupPart.BODY) {
        menu = groupMenu(gh.index());
      } else {
        menu = canvasMenu(screen);
      }
    }
    menu.show(canvas, e.getScreenX(), e.getScreenY());
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
        item("Rename\u2026", () -> titles.renameNode(v)),
        item(mode == NodeMode.MUTED ? "Unmute" : "Mute", () -> canvas.toggleMode(NodeMode.MUTED)),
        item(mode == NodeMode.BYPASSED ? "Stop bypassing" : "Bypass", () -> canvas.toggleMode(NodeMode.BYPASSED)),
        new SeparatorMenuItem(),
        item("Copy", canvas::copySelection),
        item("Duplicate", canvas::duplicateSelection),
        item("Group selected", canvas::groupSelection),
        new SeparatorMenuItem(),
        item("Delete", canvas::deleteSelection));
  }

  /** The menu of a wire, with {@code wp} the canvas point it was opened at. */
  ContextMenu wireMenu(Link wire, Point2D wp) {
    return new ContextMenu(
        item("Insert reroute", () -> edits.insertReroute(wire, wp)),
        item("Delete link", () -> edits.deleteLink(wire)));
  }

  private ContextMenu groupMenu(int index) {
    Group g = canvas.graph().groups().get(index);
    Menu colors = new Menu("Colour");
    Palette.GROUP_COLORS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c -> {
      MenuItem mi = item(c.getKey(), () -> edits.recolourGroup(index, g, c.getValue()));
      mi.setGraphic(new Circle(5, Color.web(c.getValue())));
      colors.getItems().add(mi);
    });
    return new ContextMenu(
        item("Rename\u2026", () -> titles.renameGroup(index)),
        colors,
        item("Fit to its nodes", () -> edits.fitGroup(index)),
        new SeparatorMenuItem(),
        item("Remove group", () -> edits.removeGroup(index)),
        item("Remove group and its nodes", () -> edits.removeGroupAndNodes(index)));
  }

  private ContextMenu canvasMenu(Point2D screen) {
    Point2D wp = canvas.screenToWorld(screen);
    Menu add = new Menu("Add node");
    Map<String, Menu> byCategory = new LinkedHashMap<>();
    for (NodeSchema s : canvas.catalog().schemas()) {
      Menu m = byCategory.computeIfAbsent(s.category(), Menu::new);
      m.getItems().add(item(s.displayName(), () -> canvas.addNode(s, wp)));
    }
    add.getItems().addAll(byCategory.values());
    MenuItem paste = item("Paste", () -> canvas.paste(false));
    paste.setDisable(!Clipboard.getSystemClipboard().hasString());
    return new ContextMenu(
        item("Search nodes\u2026", () -> canvas.openSearch(screen)),
        add,
        item("Add note", () -> canvas.catalog().schema("Note").ifPresent(s -> canvas.addNode(s, wp))),
        item("Add group", () -> edits.addGroupAt(wp)),
        new SeparatorMenuItem(),
        paste,
        item("Select all", canvas::selectAll),
        item("Fit view", canvas::fitToView));
  }
}
