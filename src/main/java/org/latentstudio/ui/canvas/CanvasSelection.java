package org.latentstudio.ui.canvas;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;

/**
 * What is selected on the canvas: nodes by id and groups by index. It is view state, not part of the graph or
 * of undo; it follows the graph (what was deleted drops out) and marks the node views, and the panels bind to
 * its observable sets.
 */
final class CanvasSelection {
  private final ObservableSet<NodeId> nodes = FXCollections.observableSet(new LinkedHashSet<>());
  private final ObservableSet<Integer> groups = FXCollections.observableSet(new TreeSet<>());

  /**
   * @param views the view of a node, or null
   * @param changed runs after every change, to repaint the wires and frames that show it
   */
  CanvasSelection(Function<NodeId, NodeView> views, Runnable changed) {
    nodes.addListener((SetChangeListener<NodeId>) c -> {
      if (c.wasAdded()) {
        NodeView v = views.apply(c.getElementAdded());
        if (v != null) {
          v.setSelected(true);
        }
      }
      if (c.wasRemoved()) {
        NodeView v = views.apply(c.getElementRemoved());
        if (v != null) {
          v.setSelected(false);
        }
      }
      changed.run();
    });
    groups.addListener((SetChangeListener<Integer>) c -> changed.run());
  }

  ObservableSet<NodeId> nodes() {
    return nodes;
  }

  ObservableSet<Integer> groups() {
    return groups;
  }

  /** Exactly these nodes, and no groups. */
  void select(Set<NodeId> ids) {
    nodes.retainAll(ids);
    nodes.addAll(ids);
    groups.clear();
  }

  void selectAll(Graph g) {
    nodes.addAll(g.nodes().keySet());
    for (int i = 0; i < g.groups().size(); i++) {
      groups.add(i);
    }
  }

  void clear() {
    nodes.clear();
    groups.clear();
  }

  /** Drops what the new graph no longer has. */
  void graphChanged(Graph before, Graph after) {
    nodes.retainAll(after.nodes().keySet());
    if (before.groups().size() != after.groups().size()) {
      groups.removeIf(i -> i >= after.groups().size());
    }
  }
}
