package org.latentstudio.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.io.Workflow;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.WorkflowFormatException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The workflow file and its {@code --set} overrides, shared by the commands that run workflows. */
final class WorkflowOptions {
  @Parameters(index = "0", paramLabel = "WORKFLOW.json",
      description = "The workflow file: ours, a ComfyUI workflow or API prompt, or a PNG carrying one.")
  Path file;

  @Option(names = "--set", paramLabel = "NODE_ID.INPUT=VALUE",
      description = "Set an input before running, e.g. --set sampler.seed=42. Repeatable.")
  List<String> sets = new ArrayList<>();

  /** The workflow as read (ours, a ComfyUI workflow or API prompt, or a PNG with one), after the overrides. */
  Workflow load(NodeCatalog catalog) throws WorkflowFormatException, Overrides.BadOverride {
    return load(catalog, null);
  }

  /** @param models resolves ComfyUI's checkpoint names against the models folders; null leaves them */
  Workflow load(NodeCatalog catalog, ModelNames models) throws WorkflowFormatException, Overrides.BadOverride {
    Workflow wf = new WorkflowFiles(catalog, models).read(file).workflow();
    Graph graph = Overrides.apply(wf.graph(), catalog, sets);
    return wf.withGraph(graph);
  }
}
