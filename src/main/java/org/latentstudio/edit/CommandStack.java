package org.latentstudio.edit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.latentstudio.graph.Graph;

/**
 * Owns the current graph and its history. Every edit goes through {@link #execute}; undo and redo go back to
 * graphs the stack kept, so they cannot drift from what the user saw.
 *
 * <p>Each distinct state carries a revision number. Undoing returns to the earlier state's revision, so
 * "unsaved" is simply {@code revision() != savedRevision()}: edit then undo after a save is clean again.
 *
 * <p>Consecutive commands that {@linkplain Command#mergeWith merge} become one undo step while they arrive
 * within the merge window and nobody has {@linkplain #seal sealed} the top entry. Listeners run inside the
 * re-entrancy guard: a listener that tries to execute a command gets an {@link IllegalStateException}.
 */
public final class CommandStack {
  /** Called after every change of graph or history. */
  public interface Listener {
    void changed(CommandStack stack);
  }

  public static final int DEFAULT_LIMIT = 500;
  public static final long DEFAULT_MERGE_WINDOW_NANOS = 1_500_000_000L;

  private record Entry(Command command, Graph before, long beforeRevision, Graph after, long afterRevision,
      long touchedAt) {}

  private final int limit;
  private final LongSupplier clock;
  private final long mergeWindowNanos;
  private final Deque<Entry> undo = new ArrayDeque<>();
  private final Deque<Entry> redo = new ArrayDeque<>();
  private final List<Listener> listeners = new ArrayList<>();

  private Graph graph;
  private long revision;
  private long savedRevision;
  private long nextRevision;
  private boolean sealed = true;
  private boolean inGesture;
  private boolean busy;

  public CommandStack(Graph initial) {
    this(initial, DEFAULT_LIMIT, System::nanoTime, DEFAULT_MERGE_WINDOW_NANOS);
  }

  public CommandStack(Graph initial, int limit, LongSupplier clock, long mergeWindowNanos) {
    if (limit < 1) {
      throw new IllegalArgumentException("the undo limit must be at least 1");
    }
    this.limit = limit;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mergeWindowNanos = mergeWindowNanos;
    this.graph = Objects.requireNonNull(initial, "initial");
    this.revision = 0;
    this.savedRevision = 0;
    this.nextRevision = 1;
  }

  public Graph graph() {
    return graph;
  }

  public long revision() {
    return revision;
  }

  public long savedRevision() {
    return savedRevision;
  }

  public boolean isDirty() {
    return revision != savedRevision;
  }

  public boolean canUndo() {
    return !undo.isEmpty();
  }

  public boolean canRedo() {
    return !redo.isEmpty();
  }

  public Optional<String> undoDescription() {
    return undo.isEmpty() ? Optional.empty() : Optional.of(undo.peek().command().description());
  }

  public Optional<String> redoDescription() {
    return redo.isEmpty() ? Optional.empty() : Optional.of(redo.peek().command().description());
  }

  public int undoSize() {
    return undo.size();
  }

  public int redoSize() {
    return redo.size();
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  public void removeListener(Listener l) {
    listeners.remove(l);
  }

  /**
   * Applies the command and records it. A command that changes nothing is not recorded.
   *
   * @return whether the graph changed
   * @throws IllegalArgumentException from the command, leaving everything as it was
   */
  public boolean execute(Command command) {
    Objects.requireNonNull(command, "command");
    enter();
    boolean changed = false;
    try {
      Graph after = command.apply(graph);
      if (after.equals(graph)) {
        return false;
      }
      changed = true;
      long now = clock.getAsLong();
      Entry top = undo.peek();
      Optional<Command> merged = Optional.empty();
      boolean recent = top != null && (inGesture || now - top.touchedAt() <= mergeWindowNanos);
      if (top != null && !sealed && top.afterRevision() == revision && recent) {
        merged = top.command().mergeWith(command);
      }
      redo.clear();
      if (merged.isPresent()) {
        undo.pop();
        if (after.equals(top.before())) {
          // the gesture came back to where it started: nothing is left to undo
          graph = top.before();
          revision = top.beforeRevision();
          sealed = true;
          return true;
        }
        undo.push(new Entry(merged.get(), top.before(), top.beforeRevision(), after, nextRevision, now));
      } else {
        undo.push(new Entry(command, graph, revision, after, nextRevision, now));
        while (undo.size() > limit) {
          undo.removeLast();
        }
      }
      graph = after;
      revision = nextRevision++;
      sealed = false;
      return true;
    } finally {
      leave(changed);
    }
  }

  public void undo() {
    enter();
    Entry e = undo.poll();
    try {
      if (e != null) {
        redo.push(e);
        graph = e.before();
        revision = e.beforeRevision();
        sealed = true;
      }
    } finally {
      leave(e != null);
    }
  }

  public void redo() {
    enter();
    Entry e = redo.poll();
    try {
      if (e != null) {
        undo.push(e);
        graph = e.after();
        revision = e.afterRevision();
        sealed = true;
      }
    } finally {
      leave(e != null);
    }
  }

  /** Ends the current gesture: the next command starts a new undo step even if it could merge. */
  public void seal() {
    sealed = true;
    inGesture = false;
  }

  /**
   * Starts a gesture (dragging a value): its commands start a new undo step and then merge into it however much
   * time passes between them, until {@link #seal}. Without this, a slow drag on a busy machine could fall
   * apart into several steps when the pauses outlast the merge window.
   */
  public void beginGesture() {
    sealed = true;
    inGesture = true;
  }

  /** Remembers the current state as saved. */
  public void markSaved() {
    enter();
    try {
      savedRevision = revision;
      sealed = true;
    } finally {
      leave(true);
    }
  }

  /** Starts over with another document: history cleared, the new graph counts as saved. */
  public void reset(Graph newGraph) {
    resetTo(newGraph, true);
  }

  /**
   * Starts over with another document, which counts as unsaved when {@code saved} is false (a restored
   * recovery file, an imported picture).
   */
  public void resetTo(Graph newGraph, boolean saved) {
    Objects.requireNonNull(newGraph, "newGraph");
    enter();
    try {
      undo.clear();
      redo.clear();
      graph = newGraph;
      revision = nextRevision++;
      savedRevision = saved ? revision : -1;
      sealed = true;
    } finally {
      leave(true);
    }
  }

  private void enter() {
    if (busy) {
      throw new IllegalStateException("the document was edited while an edit was being applied or announced");
    }
    busy = true;
  }

  /** Leaves the guarded section, telling the listeners (still inside the guard) when something changed. */
  private void leave(boolean changed) {
    try {
      if (changed) {
        for (Listener l : List.copyOf(listeners)) {
          l.changed(this);
        }
      }
    } finally {
      busy = false;
    }
  }
}
