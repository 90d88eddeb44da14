package org.latentstudio.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.GraphValidationException;
import org.latentstudio.exec.Plan;
import org.latentstudio.exec.PlannedNode;
import org.latentstudio.exec.Planner;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Problem;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.WorkflowFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code latentstudio validate WORKFLOW.json [--set ...] [--inputs | --choices NODE_ID.INPUT]}: reads the file and
 * checks it as {@code run} would, without running; with {@code --inputs} it first lists what {@code --set} can
 * change, and {@code --choices} lists an input's values instead (both read by the bash completion of
 * {@code --set}). Validate and run both go through the {@link Planner}, so what one refuses the other refuses
 * too; problems in nodes the run would not need are shown as warnings, since {@code run} does not stop for them
 * either. Validate also names the files the run's nodes would not find ({@code NodeType#missingFiles}), where the
 * run stops at the first such node.
 */
@Command(name = "validate", description = "Check a workflow file as run would, without running it.")
final class ValidateCommand implements Callable<Integer> {
  private final AppContext app;

  @Mixin
  WorkflowOptions workflow;

  @Option(names = "--inputs", description = "Also list what --set can change, one NODE_ID.INPUT=VALUE a line, "
      + "with its value now (nothing after = where a link feeds it).")
  boolean inputs;

  @Option(names = "--choices", paramLabel = "NODE_ID.INPUT", description = "List the values the input takes where "
      + "they come from a list (a sampler's names, the models of its kind in the model folders) instead.")
  String choicesOf;

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
    Graph graph;
    try {
      opened = new WorkflowFiles(app.registry(), ModelNames.of(app.models())).read(workflow.file);
      graph = Overrides.apply(opened.workflow().graph(), app.registry(), workflow.sets);
      if (choicesOf != null) {
        Overrides.choices(graph, app.registry(), app.models(), choicesOf).forEach(out::println);
        return LatentStudioCommand.OK;
      }
    } catch (WorkflowFormatException | Overrides.BadOverride e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    if (inputs) {
      Overrides.settable(graph, app.registry()).forEach(out::println);
    }
    Planner.Check check = new Planner(app.registry()).check(graph, Set.of());
    for (Problem p : check.elsewhere()) {
      err.println("warning: " + p.describe() + " (the run does not need this node)");
    }
    // what a ComfyUI import noticed (a checkpoint not in the models folders) first, then the graph's problems
    List<Problem> problems = new ArrayList<>(opened.notes());
    problems.addAll(check.blocking());
    if (check.blocking().isEmpty()) {
      problems.addAll(missingFiles(graph, problems));
    }
    if (problems.isEmpty()) {
      out.println("ok: " + workflow.file + " (" + graph.nodes().size() + " nodes, " + graph.links().size()
          + " links)");
      return LatentStudioCommand.OK;
    }
    for (Problem p : problems) {
      err.println("error: " + p.describe());
    }
    err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + workflow.file);
    return LatentStudioCommand.BAD_INPUT;
  }

  /**
   * The files the run's nodes name that they would not find (a checkpoint, a LoRA, a picture), as the run would
   * report them at the node, but all at once and before any work; one a ComfyUI import noted already is left out.
   */
  private List<Problem> missingFiles(Graph graph, List<Problem> noted) {
    List<Problem> missing = new ArrayList<>();
    Plan plan;
    try {
      plan = new Planner(app.registry()).plan(graph, Set.of());
    } catch (GraphValidationException e) {
      return missing; // reported by the check already
    }
    for (PlannedNode n : plan.order()) {
      n.type().missingFiles(n.literals(), app.services()).forEach((input, why) -> {
        String port = "input '" + input + "'";
        if (noted.stream().noneMatch(p -> n.id().equals(p.node()) && port.equals(p.port()))) {
          missing.add(new Problem(Problem.Kind.MODEL, n.id(), n.typeId(), port, why, null));
        }
      });
    }
    return missing;
  }
}
