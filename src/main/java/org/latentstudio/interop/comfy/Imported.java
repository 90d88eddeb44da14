package org.latentstudio.interop.comfy;

import java.util.List;
import org.latentstudio.graph.Problem;
import org.latentstudio.io.Workflow;

/**
 * A ComfyUI workflow or prompt as it loads here, with what the import noticed that validation cannot see:
 * models that are not in the models folders, links that pointed nowhere, node modes we do not have.
 *
 * @param format which ComfyUI format the file was in
 */
public record Imported(Workflow workflow, List<Problem> notes, Format format) {
  public enum Format { UI_WORKFLOW, API_PROMPT }

  public Imported {
    notes = List.copyOf(notes);
  }
}
