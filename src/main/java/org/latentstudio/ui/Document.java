package org.latentstudio.ui;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.latentstudio.edit.Command;
import org.latentstudio.edit.CommandStack;
import org.latentstudio.graph.Graph;
import org.latentstudio.io.Workflow;

/**
 * The open workflow as the window sees it: the graph as a read-only property, its history, its file and
 * whether it is saved. It changes only through {@link #execute}, {@link #undo} and {@link #redo}, or when a
 * whole document is loaded. Views bind to the properties and never keep graph state of their own.
 * FX thread only.
 */
public final class Document {
  private final CommandStack stack;
  private final ReadOnlyObjectWrapper<Graph> graph;
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
  private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
  private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
  private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
  private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "Undo");
  private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper(this, "redoText", "Redo");
  private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
  private ObjectNode extra = JsonNodeFactory.instance.objectNode();

  public Document() {
    this(Graph.empty());
  }

  public Document(Graph initial) {
    stack = new CommandStack(initial);
    graph = new ReadOnlyObjectWrapper<>(this, "graph", initial);
    stack.addListener(s -> refresh());
    refresh();
  }

  private void refresh() {
    graph.set(stack.graph());
    revision.set(stack.revision());
    dirty.set(stack.isDirty());
    canUndo.set(stack.canUndo());
    canRedo.set(stack.canRedo());
    undoText.set(stack.undoDescription().map(d -> "Undo " + d).orElse("Undo"));
    redoText.set(stack.redoDescription().map(d -> "Redo " + d).orElse("Redo"));
  }

  public Graph graph() {
    return graph.get();
  }

  public ReadOnlyObjectProperty<Graph> graphProperty() {
    return graph.getReadOnlyProperty();
  }

  public ReadOnlyLongProperty revisionProperty() {
    return revision.getReadOnlyProperty();
  }

  public long revision() {
    return revision.get();
  }

  public ReadOnlyBooleanProperty dirtyProperty() {
    return dirty.getReadOnlyProperty();
  }

  public boolean isDirty() {
    return dirty.get();
  }

  public ReadOnlyBooleanProperty canUndoProperty() {
    return canUndo.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty canRedoProperty() {
    return canRedo.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty undoTextProperty() {
    return undoText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty redoTextProperty() {
    return redoText.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Path> fileProperty() {
    return file.getReadOnlyProperty();
  }

  public Path file() {
    return file.get();
  }

  /**
   * Applies an edit.
   *
   * @return whether the graph changed
   */
  public boolean execute(Command command) {
    return stack.execute(command);
  }

  public void undo() {
    stack.undo();
  }

  public void redo() {
    stack.redo();
  }

  /** Ends a gesture, so the next edit is its own undo step. */
  public void seal() {
    stack.seal();
  }

  /** Starts a gesture whose edits make one undo step, however slow it is, until {@link #seal}. */
  public void beginGesture() {
    stack.beginGesture();
  }

  public CommandStack history() {
    return stack;
  }

  /** Data other tools or the view keep in the file (the view position); preserved on save. */
  public ObjectNode extra() {
    return extra;
  }

  /** The document as a file holds it. */
  public Workflow toWorkflow() {
    return new Workflow(graph(), extra);
  }

  /**
   * Replaces the whole document (New, Open, a drop, a restored recovery file). History starts over.
   *
   * @param saved whether the content equals {@code newFile} on disk
   */
  public void load(Workflow workflow, Path newFile, boolean saved) {
    Objects.requireNonNull(workflow, "workflow");
    extra = workflow.extra();
    file.set(newFile);
    stack.resetTo(workflow.graph(), saved);
  }

  /** The document was written to {@code savedFile}. */
  public void markSaved(Path savedFile) {
    file.set(savedFile);
    stack.markSaved();
  }
}
