package org.latentstudio.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.graph.GraphValidator;
import org.latentstudio.graph.Problem;
import org.latentstudio.io.Workflow;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.WorkflowFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentstudio validate WORKFLOW.json}: reads the file and reports every problem, without running. */
@Command(name = "validate", description = "Check a workflow file without running it.")
final class ValidateCommand implements Callable<Integer> {
  private final AppContext app;

  @Parameters(index = "0", paramLabel = "WORKFLOW.json",
      description = "The workflow file: ours, a ComfyUI workflow or API prompt, or a PNG carrying one.")
  Path file;

  @Spec
  CommandSpec spec;

  ValidateCommand(AppContext app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    WorkflowFiles.Opened opened;
    try {
      opened = new WorkflowFiles(app.registry(), ModelNames.of(app.models())).read(file);
    } catch (WorkflowFormatException e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    Workflow wf = opened.workflow();
    // what a ComfyUI import noticed (a checkpoint not in the models folders) first, then the graph's problems
    List<Problem> problems = new java.util.ArrayList<>(opened.notes());
    problems.addAll(new GraphValidator(app.registry()).validate(wf.graph()));
    if (problems.isEmpty()) {
      out.println("ok: " + file + " (" + wf.graph().nodes().size() + " nodes, " + wf.graph().links().size()
          + " links)");
      return LatentStudioCommand.OK;
    }
    for (Problem p : problems) {
      err.println("error: " + p.describe());
    }
    err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + file);
    return LatentStudioCommand.BAD_INPUT;
  }
}
