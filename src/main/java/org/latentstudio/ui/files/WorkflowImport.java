package org.latentstudio.ui.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.latentstudio.image.PngText;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;

/** Opens what a user may drop or pick: a workflow file, or a PNG that carries its workflow. */
public final class WorkflowImport {
  private final WorkflowCodec codec = new WorkflowCodec();

  public static boolean isPng(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
  }

  public static boolean canOpen(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".png");
  }

  /**
   * @throws WorkflowFormatException with a message for the user: not a workflow, no workflow in the picture
   */
  public Workflow read(Path file) throws WorkflowFormatException {
    if (!isPng(file)) {
      return codec.read(file);
    }
    Map<String, String> texts;
    try {
      texts = PngText.read(file);
    } catch (IOException e) {
      throw new WorkflowFormatException(file.getFileName() + " is not a readable PNG picture: " + e.getMessage(), e);
    }
    String json = texts.get("workflow");
    if (json == null) {
      throw new WorkflowFormatException(file.getFileName() + " has no workflow inside. Only pictures saved by "
          + "Latent Studio (or ComfyUI) carry the graph that made them.");
    }
    return codec.parse(json, "the workflow inside " + file.getFileName());
  }
}
