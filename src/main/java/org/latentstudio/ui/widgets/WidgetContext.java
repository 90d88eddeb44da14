package org.latentstudio.ui.widgets;

import java.util.List;
import java.util.Optional;
import org.latentstudio.graph.NodeId;

/** What a widget on a node needs from the canvas: a way to change the value, and the files it may pick. */
public interface WidgetContext {
  /** Sets a widget value through a command; consecutive values of one gesture merge into one undo step. */
  void commit(NodeId node, String name, Object value);

  /** A drag begins: its values, until {@link #endGesture}, make one undo step however long it takes. */
  void beginGesture();

  /** The gesture is over: the next value starts a new undo step. */
  void endGesture();

  /** The names a file or model picker offers for this kind ("checkpoint", "lora", "image"...). */
  List<String> files(String kind);

  /** Asks the user for a file of this kind; empty when cancelled. */
  Optional<String> browse(String kind);

  /** An inline editor closed: give the keyboard back to the canvas. */
  void returnFocus();

  /** The canvas zoom, so dragging a value feels the same at every zoom. */
  double zoom();
}
