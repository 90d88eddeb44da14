package org.latentstudio.ui.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.ui.models.ModelCatalog;
import org.latentstudio.ui.models.ModelEntry;

/**
 * Opens what a user may drop or pick: our workflow files, ComfyUI workflows and API prompts, and PNGs that carry
 * any of them. Checkpoint names in ComfyUI files are checked against the models the studio lists.
 */
public final class WorkflowImport {
  private final WorkflowFiles files;

  public WorkflowImport(NodeCatalog catalog, ModelCatalog models) {
    this.files = new WorkflowFiles(catalog, checkpoints(models));
  }

  public static boolean isPng(Path file) {
    return WorkflowFiles.isPng(file);
  }

  public static boolean canOpen(Path file) {
    return WorkflowFiles.canOpen(file);
  }

  /**
   * @throws WorkflowFormatException with a message for the user: not a workflow, no workflow in the picture
   */
  public WorkflowFiles.Opened read(Path file) throws WorkflowFormatException {
    return files.read(file);
  }

  private static ModelNames checkpoints(ModelCatalog models) {
    return name -> {
      List<ModelEntry> all = models.scan();
      if (Files.isDirectory(Path.of(name))
          || all.stream().anyMatch(m -> m.kind().equals("checkpoint") && m.name().equals(name))) {
        return Optional.empty();
      }
      List<String> names = all.stream().filter(m -> m.kind().equals("checkpoint")).map(ModelEntry::name).toList();
      return Optional.of("no checkpoint '" + name + "' in the models folders " + models.folders()
          + (names.isEmpty() ? "" : " (found: " + String.join(", ", names) + ")"));
    };
  }
}
