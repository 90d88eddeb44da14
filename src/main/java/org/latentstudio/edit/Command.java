package org.latentstudio.edit;

import java.util.Optional;
import org.latentstudio.graph.Graph;

/**
 * One edit of the document. Applying it to a graph gives the edited graph; since graphs are immutable, the
 * {@link CommandStack} undoes an edit by going back to the graph it kept, so commands need no inverse.
 */
public interface Command {
  /**
   * @throws IllegalArgumentException when the command does not fit the graph (a node it names is gone)
   */
  Graph apply(Graph graph);

  /** What the edit did, for the Undo and Redo menu items: "Move 3 nodes", "Set seed". */
  String description();

  /**
   * Folds the next command into this one, so that a gesture made of many small steps (dragging a slider,
   * typing a prompt, nudging with the arrow keys) undoes in one step. The default merges nothing.
   */
  default Optional<Command> mergeWith(Command next) {
    return Optional.empty();
  }
}
