package org.latentstudio.ui.canvas;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.latentstudio.edit.AddNodes;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.Fragment;
import org.latentstudio.edit.RemoveItems;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Vec2;
import org.latentstudio.ui.ClipboardCodec;

/**
 * Copy, cut, paste and duplicate. The system clipboard carries workflow JSON, so pieces move between studio
 * windows and to and from text editors; a paste is one {@link AddNodes} command, and what it added becomes the
 * selection.
 */
final class ClipboardActions {
  private static final Vec2 PASTE_OFFSET = new Vec2(30, 30);

  private final GraphCanvas canvas;
  private final ClipboardCodec codec = new ClipboardCodec();

  ClipboardActions(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  private Fragment selectionFragment() {
    return Fragment.copy(canvas.graph(), Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups()));
  }

  /** Puts the selection on the system clipboard as workflow JSON. */
  boolean copy() {
    Fragment f = selectionFragment();
    if (f.isEmpty()) {
      return false;
    }
    ClipboardContent content = new ClipboardContent();
    content.putString(codec.write(f));
    Clipboard.getSystemClipboard().setContent(content);
    canvas.host().status("Copied " + describe(f));
    return true;
  }

  void cut() {
    Fragment f = selectionFragment();
    if (copy()) {
      canvas.document().execute(Composite.of("Cut " + describe(f),
          new RemoveItems(Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups()))));
      canvas.clearSelection();
    }
  }

  /**
   * Pastes workflow JSON from the system clipboard at the mouse.
   *
   * @param withConnections also keep the links that fed the copied nodes (Ctrl+Shift+V)
   */
  boolean paste(boolean withConnections) {
    Clipboard cb = Clipboard.getSystemClipboard();
    String text = cb.hasString() ? cb.getString() : null;
    Optional<Fragment> f = codec.read(text);
    if (f.isEmpty() || f.get().isEmpty()) {
      canvas.host().status("Nothing to paste: the clipboard holds no workflow");
      return false;
    }
    Point2D at = canvas.screenToWorld(canvas.lastMouse());
    return pasteFragment(f.get(), new Vec2(at.getX(), at.getY()), withConnections, "Paste " + describe(f.get()));
  }

  /** Copies the selection and pastes it a little below and to the right, keeping its input links. */
  void duplicate() {
    Fragment f = selectionFragment();
    if (f.isEmpty()) {
      return;
    }
    pasteFragment(f, f.origin().plus(PASTE_OFFSET), true, "Duplicate " + describe(f));
  }

  private boolean pasteFragment(Fragment f, Vec2 at, boolean withConnections, String description) {
    Graph shown = canvas.graph();
    AddNodes add = f.pasteInto(shown, at, withConnections, description);
    // links from outside the piece must still fit where they land
    Set<NodeId> pasted = new HashSet<>();
    add.nodes().forEach(n -> pasted.add(n.id()));
    Graph withNodes = new AddNodes("", add.nodes(), List.of(), List.of()).apply(shown);
    List<Link> allowed = add.links().stream()
        .filter(l -> pasted.contains(l.from().node()) || canvas.rules().allowed(withNodes, l))
        .toList();
    AddNodes checked = new AddNodes(add.description(), add.nodes(), allowed, add.groups());
    if (!canvas.document().execute(checked)) {
      return false;
    }
    Graph after = canvas.graph();
    int first = after.groups().size() - checked.groups().size();
    canvas.selection().clear();
    canvas.selectedGroups().clear();
    for (Node n : checked.nodes()) {
      canvas.selection().add(n.id());
      NodeView v = canvas.views().get(n.id());
      if (v != null) {
        v.toFront();
      }
    }
    for (int i = first; i < after.groups().size(); i++) {
      canvas.selectedGroups().add(i);
    }
    return true;
  }

  /** "2 nodes and 1 group", for the status bar and the undo menu. */
  private static String describe(Fragment f) {
    int n = f.graph().nodes().size();
    int g = f.graph().groups().size();
    String nodes = n == 1 ? "1 node" : n + " nodes";
    if (g == 0) {
      return nodes;
    }
    return (n == 0 ? "" : nodes + " and ") + (g == 1 ? "1 group" : g + " groups");
  }
}
