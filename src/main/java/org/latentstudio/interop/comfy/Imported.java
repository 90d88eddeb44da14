package org.latentstudio.interop.comfy;

import java.util.List;
import java.util.Map;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Problem;
import org.latentstudio.io.Workflow;

/**
 * A ComfyUI workflow or prompt as it loads here, with what the import noticed that validation cannot see:
 * models that are not in the models folders, links that pointed nowhere, node modes we do not have.
 *
 * @param format   which ComfyUI format the file was in
 * @param comfyIds ComfyUI's id of each node whose id had to change here ("5:3" is "5_3"), for answering ComfyUI
 *                 clients in their ids
 */
public record Imported(Workflow workflow, List<Problem> notes, Format format, Map<NodeId, String> comfyIds) {
  public enum Format { UI_WORKFLOW, API_PROMPT }

  public Imported {
    notes = List.copyOf(notes);
    comfyIds = Map.copyOf(comfyIds);
  }

  /** The id a ComfyUI client knows the node by. */
  public String comfyId(NodeId id) {
    return comfyIds.getOrDefault(id, id.value());
  }
}
