package org.latentstudio.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleObjectProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Problem;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ComfyWorkflowWriter;
import org.latentstudio.io.AtomicFiles;
import org.latentstudio.io.IoErrors;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.files.RecentFiles;
import org.latentstudio.ui.files.Recovery;
import org.latentstudio.ui.files.WorkflowImport;

/**
 * The File menu's work: new, open (a workflow, or a picture with a workflow inside, which opens untitled), save
 * and save as, the recent files, and what opens at start (a crashed session's work, else the default
 * workflow). Anything that would replace the document asks about unsaved changes first. A saved file keeps the
 * pan and zoom, and opening it puts the view back there.
 */
final class FileActions {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private final StudioConfig cfg;
  private final Document doc;
  private final GraphCanvas canvas;
  private final Dialogs dialogs;
  private final RecentFiles recent;
  private final Consumer<String> status;
  private final WorkflowCodec codec = new WorkflowCodec();
  private final WorkflowImport importer;
  private final Consumer<List<Problem>> importNotes;
  private final Autosave autosave;
  /** "from picture.png" while the document came out of a picture and has no file of its own. */
  private final SimpleObjectProperty<String> importedName = new SimpleObjectProperty<>();

  /**
   * @param importNotes where the problems an import noticed go (the Problems tab): a ComfyUI workflow's missing
   *                    models, links to nowhere
   */
  FileActions(StudioConfig cfg, Document doc, GraphCanvas canvas, Dialogs dialogs, Consumer<String> status,
      Consumer<List<Problem>> importNotes) {
    this.cfg = cfg;
    this.importer = new WorkflowImport(cfg.registry(), cfg.models());
    this.importNotes = importNotes;
    this.doc = doc;
    this.canvas = canvas;
    this.dialogs = dialogs;
    this.status = status;
    this.recent = new RecentFiles(cfg.userDir().resolve("recent.json"));
    this.autosave = new Autosave(doc, new Recovery(cfg.userDir()), this::workflowWithView, status);
  }

  Autosave autosave() {
    return autosave;
  }

  RecentFiles recent() {
    return recent;
  }

  /** "*name — Latent Studio", starred while there are unsaved changes. */
  StringBinding windowTitle() {
    return Bindings.createStringBinding(() -> (doc.isDirty() ? "*" : "") + documentName() + " \u2014 "
        + StudioWindow.TITLE, doc.dirtyProperty(), doc.fileProperty(), importedName);
  }

  /** The document's file name, where it came from, or "Untitled". */
  String documentName() {
    Path f = doc.file();
    if (f != null) {
      return f.getFileName().toString();
    }
    return importedName.get() != null ? importedName.get() : "Untitled";
  }

  /** Asks about unsaved changes; returns whether the current document may go. */
  boolean confirmDiscard() {
    if (!doc.isDirty()) {
      return true;
    }
    String name = doc.file() == null ? "Untitled" : doc.file().getFileName().toString();
    return switch (dialogs.confirmDiscard(name)) {
      case SAVE -> save();
      case DISCARD -> true;
      case CANCEL -> false;
    };
  }

  // ---------------------------------------------------------------- start

  /** What opens once the window is up: a crashed session's work if the user wants it, else the default workflow. */
  void openAtStart() {
    List<Recovery.Found> orphans = autosave.recovery().orphans();
    if (!orphans.isEmpty()) {
      Recovery.Found f = orphans.get(0);
      String what = (f.originalFile() == null ? "An untitled workflow" : f.originalFile().getFileName().toString())
          + " with " + f.workflow().graph().nodes().size() + " nodes was autosaved at "
          + CLOCK.format(f.savedAt()) + " but never saved. Restore it?";
      boolean restore = dialogs.offerRecovery(what);
      orphans.forEach(autosave.recovery()::remove);
      if (restore) {
        doc.load(f.workflow(), f.originalFile(), false);
        importedName.set(null);
        restoreView();
        status.accept("Restored the unsaved work from " + CLOCK.format(f.savedAt()));
        autosave.now();
        return;
      }
    }
    Path def = cfg.defaultWorkflow();
    if (def != null && Files.isRegularFile(def)) {
      try {
        // the bundled workflow is a template: it opens untitled so Save never overwrites it
        Workflow wf = importer.read(def).workflow();
        doc.load(wf, null, true);
        importedName.set(null);
        restoreView();
        status.accept("Opened the default workflow " + def.getFileName());
      } catch (WorkflowFormatException e) {
        status.accept("Could not open the default workflow: " + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- new and open

  void newDocument() {
    if (!confirmDiscard()) {
      return;
    }
    doc.load(Workflow.of(Graph.empty()), null, true);
    importedName.set(null);
    canvas.clearRunStates();
    canvas.setView(1, canvas.getWidth() / 2 - 200, canvas.getHeight() / 2 - 150);
    autosave.recovery().discard();
    status.accept("New workflow");
  }

  void open() {
    if (!confirmDiscard()) {
      return;
    }
    dialogs.chooseOpen(startDir()).ifPresent(p -> openPath(p, false));
  }

  /** Where the file choosers start: beside the document, else beside the last recent file. */
  private Path startDir() {
    if (doc.file() != null && doc.file().getParent() != null) {
      return doc.file().getParent();
    }
    List<Path> r = recent.list();
    return !r.isEmpty() && r.get(0).getParent() != null ? r.get(0).getParent() : cfg.userDir();
  }

  /**
   * Opens a workflow file or a PNG with a workflow inside.
   *
   * @param ask whether to ask about unsaved changes first (not when the caller already has)
   */
  void openPath(Path p, boolean ask) {
    WorkflowFiles.Opened opened;
    try {
      opened = importer.read(p);
    } catch (WorkflowFormatException e) {
      // read before asking about unsaved changes: a file that cannot open never puts the document at stake
      dialogs.error("Cannot open " + p.getFileName(), e.getMessage());
      status.accept("Cannot open " + p.getFileName());
      return;
    }
    if (ask && !confirmDiscard()) {
      return;
    }
    Workflow wf = opened.workflow();
    canvas.clearRunStates();
    importNotes.accept(opened.notes());
    String notes = opened.notes().isEmpty() ? ""
        : "; " + opened.notes().size() + (opened.notes().size() == 1 ? " problem" : " problems") + " in the Problems tab";
    if (opened.format() != WorkflowFiles.Format.LATENTSTUDIO) {
      // a ComfyUI file opens untitled: Save must not overwrite it in another format
      doc.load(wf, null, false);
      importedName.set("from " + p.getFileName());
      String what = opened.format() == WorkflowFiles.Format.COMFY_API ? "ComfyUI API prompt" : "ComfyUI workflow";
      status.accept("Imported the " + what + (WorkflowImport.isPng(p) ? " inside " : " ") + p.getFileName()
          + "; save it to keep it" + notes);
    } else if (WorkflowImport.isPng(p)) {
      doc.load(wf, null, false);
      importedName.set("from " + p.getFileName());
      status.accept("Loaded the workflow inside " + p.getFileName() + "; save it to keep it");
    } else {
      doc.load(wf, p, true);
      importedName.set(null);
      recent.add(p);
      status.accept("Opened " + p);
    }
    restoreView();
  }

  /** Files dropped on the canvas: the first workflow or picture among them. */
  void openDropped(List<Path> files) {
    for (Path p : files) {
      if (WorkflowImport.canOpen(p)) {
        openPath(p, true);
        return;
      }
    }
    status.accept("Drop a workflow (.json) or a picture with a workflow inside (.png)");
  }

  // ---------------------------------------------------------------- save

  /** Saves to the document's file, or asks where. Returns whether it was saved. */
  boolean save() {
    if (doc.file() == null) {
      return saveAs();
    }
    if (!replaceable(doc.file())) {
      // an example in the installed app's folder, say: Save asks where, as editors do with a read-only file
      status.accept(doc.file().getFileName() + " cannot be changed where it is: choose where to save it");
      return saveAs(Path.of(System.getProperty("user.home")));
    }
    return saveTo(doc.file());
  }

  boolean saveAs() {
    return saveAs(startDir());
  }

  private boolean saveAs(Path from) {
    String suggested = doc.file() != null ? doc.file().getFileName().toString() : "workflow.json";
    Optional<Path> target = dialogs.chooseSave(from, suggested);
    return target.isPresent() && saveTo(target.get());
  }

  /** Whether a save can replace {@code file}: it, and its folder where the new copy is written first, are writable. */
  private static boolean replaceable(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    return (!Files.exists(file) || Files.isWritable(file)) && folder != null && Files.isWritable(folder);
  }

  /** File → Save As ComfyUI Workflow: a copy ComfyUI opens; the document keeps its own file. */
  boolean exportComfy() {
    String base = documentName().replaceFirst("^from ", "").replaceFirst("\\.(json|png)$", "");
    Optional<Path> target = dialogs.chooseSave(startDir(), base + "-comfyui.json");
    if (target.isEmpty()) {
      return false;
    }
    try {
      AtomicFiles.write(target.get(), (new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
          new ComfyWorkflowWriter(cfg.registry()).write(workflowWithView())) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      dialogs.error("Cannot save " + target.get().getFileName(), "The ComfyUI workflow could not be written to "
          + target.get() + ": " + IoErrors.reason(e) + ". Try another folder.");
      return false;
    }
    status.accept("Saved a ComfyUI workflow to " + target.get());
    return true;
  }

  boolean saveTo(Path file) {
    try {
      codec.save(workflowWithView(), file);
    } catch (IOException e) {
      dialogs.error("Cannot save " + file.getFileName(), "The workflow could not be written to " + file + ": "
          + IoErrors.reason(e) + ". Nothing was lost: it is still open here. Try another folder.");
      return false;
    }
    doc.markSaved(file);
    importedName.set(null);
    recent.add(file);
    autosave.saved();
    status.accept("Saved " + file);
    return true;
  }

  // ---------------------------------------------------------------- the view saved with the file

  /** The document with the current pan and zoom in its extra data, so it reopens where it was left. */
  Workflow workflowWithView() {
    ObjectNode extra = doc.extra();
    ObjectNode v = extra.putObject("view");
    v.put("zoom", round(canvas.zoom()));
    v.putArray("offset").add(round(canvas.panOffset().getX())).add(round(canvas.panOffset().getY()));
    return new Workflow(doc.graph(), extra);
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  /** Puts the view where the document's file left it, or fits the graph; waits for the canvas to have a size. */
  private void restoreView() {
    canvas.requestFocus();
    Runnable apply = () -> {
      var v = doc.extra().path("view");
      if (v.has("zoom") && v.path("offset").size() == 2) {
        canvas.setView(v.path("zoom").asDouble(1), v.path("offset").get(0).asDouble(), v.path("offset").get(1).asDouble());
      } else {
        canvas.fitToView();
      }
    };
    if (canvas.getWidth() > 0) {
      apply.run();
    } else {
      canvas.widthProperty().addListener(new InvalidationListener() {
        @Override
        public void invalidated(Observable o) {
          canvas.widthProperty().removeListener(this);
          Platform.runLater(apply);
        }
      });
    }
  }
}
