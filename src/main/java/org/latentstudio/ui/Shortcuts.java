package org.latentstudio.ui;

import java.util.List;

/**
 * Every keyboard shortcut and mouse gesture of the studio, in one place: the Help window lists them, and the
 * README's table is made from the same list. Keys follow desktop conventions (Ctrl on Linux and Windows,
 * Cmd on macOS).
 */
public final class Shortcuts {
  private Shortcuts() {}

  /** One row: the keys or gesture, and what it does. */
  public record Shortcut(String section, String keys, String action) {}

  public static final List<Shortcut> ALL = List.of(
      new Shortcut("File", "Ctrl+N", "New workflow"),
      new Shortcut("File", "Ctrl+O", "Open a workflow, or a PNG that carries one"),
      new Shortcut("File", "Ctrl+S", "Save"),
      new Shortcut("File", "Ctrl+Shift+S", "Save as"),
      new Shortcut("File", "Ctrl+Q", "Quit (asks about unsaved changes)"),
      new Shortcut("Edit", "Ctrl+Z", "Undo"),
      new Shortcut("Edit", "Ctrl+Shift+Z, Ctrl+Y", "Redo"),
      new Shortcut("Edit", "Ctrl+C / Ctrl+X / Ctrl+V", "Copy, cut, paste (as workflow JSON on the clipboard)"),
      new Shortcut("Edit", "Ctrl+Shift+V", "Paste keeping the links into the pasted nodes"),
      new Shortcut("Edit", "Ctrl+D", "Duplicate the selection"),
      new Shortcut("Edit", "Delete, Backspace", "Delete the selection"),
      new Shortcut("Edit", "Ctrl+A", "Select all"),
      new Shortcut("Edit", "Ctrl+G", "Put the selection in a new group"),
      new Shortcut("Edit", "Ctrl+,", "Preferences: folders, execution provider, threads, memory, previews, autosave"),
      new Shortcut("Edit", "Ctrl+M", "Mute or unmute the selected nodes"),
      new Shortcut("Edit", "Ctrl+B", "Bypass or restore the selected nodes"),
      new Shortcut("Edit", "Arrow keys (Shift: ×5)", "Nudge the selection"),
      new Shortcut("Canvas", "Space, double-click", "Search nodes; Enter adds the node at the pointer"),
      new Shortcut("Canvas", "Wheel", "Zoom around the pointer"),
      new Shortcut("Canvas", "Middle-drag, Space+drag", "Pan"),
      new Shortcut("Canvas", "F, .", "Fit the graph (or the selection) in view"),
      new Shortcut("Canvas", "Ctrl+0 / Ctrl+= / Ctrl+-", "Actual size, zoom in, zoom out"),
      new Shortcut("Canvas", "Click, Shift-click, drag on empty canvas", "Select, add to selection, rubber band"),
      new Shortcut("Canvas", "Drag from a port", "Draw a wire; drop on empty canvas to add a node that fits"),
      new Shortcut("Canvas", "Drag from a connected input", "Move the wire to another input, or drop to remove"),
      new Shortcut("Canvas", "Double-click a wire", "Insert a reroute dot"),
      new Shortcut("Canvas", "Click a wire's middle dot", "Delete the wire or insert a reroute"),
      new Shortcut("Canvas", "Right-click", "Menus for nodes, wires, groups and the canvas"),
      new Shortcut("Canvas", "Double-click a title", "Rename the node or group"),
      new Shortcut("Canvas", "Escape", "Cancel the gesture, close the search, clear the selection"),
      new Shortcut("Widgets", "Drag a number sideways (Shift: fine)", "Change it; click the arrows to step"),
      new Shortcut("Widgets", "Click a number", "Type a value or an expression such as 512*1.5"),
      new Shortcut("Gallery", "Click a picture", "View it large; Escape closes the viewer"),
      new Shortcut("Run", "Ctrl+Enter", "Queue the graph"),
      new Shortcut("Run", "Ctrl+.", "Cancel the running run"),
      new Shortcut("Help", "F1", "This list; Escape closes it"));
}
