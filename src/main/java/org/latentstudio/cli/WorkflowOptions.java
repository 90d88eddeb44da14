package org.latentstudio.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentstudio.app.AppContext;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.io.Workflow;
import org.latentstudio.interop.WorkflowFiles;
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

  private final WorkflowPreread preread;

  WorkflowOptions() {
    this(WorkflowPreread.NONE);
  }

  /** @param preread the workflow read while the command line was parsed, used when it is the file named */
  WorkflowOptions(WorkflowPreread preread) {
    this.preread = preread;
  }

  /** The workflow as read (ours, a ComfyUI workflow or API prompt, or a PNG with one), after the overrides. */
  Workflow load(NodeCatalog catalog) throws WorkflowFormatException, Overrides.BadOverride {
    return withOverrides(new WorkflowFiles(catalog, null).read(file).workflow(), catalog);
  }

  /** The workflow as the commands that run it read it (ComfyUI's model names checked), after the overrides. */
  Workflow load(AppContext app) throws WorkflowFormatException, Overrides.BadOverride {
    Workflow wf = preread.take(file);
    return withOverrides(wf != null ? wf : WorkflowPreread.read(app, file), app.registry());
  }

  private Workflow withOverrides(Workflow wf, NodeCatalog catalog) throws Overrides.BadOverride {
    return wf.withGraph(Overrides.apply(wf.graph(), catalog, sets));
  }
}
