package org.latentstudio.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.interop.comfy.ComfyPromptWriter;
import org.latentstudio.interop.comfy.ComfyWorkflowWriter;
import org.latentstudio.io.AtomicFiles;
import org.latentstudio.io.IoErrors;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentstudio export WORKFLOW (--comfy-api | --comfy-workflow) [--output FILE]}. */
@Command(name = "export", description = "Write a workflow in ComfyUI's API (prompt) or UI (workflow) format.")
final class ExportCommand implements Callable<Integer> {
  private final AppContext app;

  @Mixin
  WorkflowOptions workflow;

  static final class Format {
    @Option(names = "--comfy-api", required = true,
        description = "ComfyUI's API format, for POST /prompt and ComfyUI's scripts.")
    boolean api;

    @Option(names = "--comfy-workflow", required = true,
        description = "ComfyUI's UI workflow, which ComfyUI's Load opens.")
    boolean ui;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Format format;

  @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Write here instead of to standard output.")
  Path output;

  @Spec
  CommandSpec spec;

  ExportCommand(AppContext app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    Workflow wf;
    try {
      wf = workflow.load(app);
    } catch (WorkflowFormatException | Overrides.BadOverride e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    JsonNode tree;
    try {
      tree = format.api ? new ComfyPromptWriter(app.registry()).write(wf.graph())
          : new ComfyWorkflowWriter(app.registry()).write(wf);
    } catch (ComfyPromptWriter.NotExportable e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    String json = pretty(tree) + "\n";
    if (output == null) {
      spec.commandLine().getOut().print(json);
      spec.commandLine().getOut().flush();
    } else if (Files.isDirectory(output)) {
      err.println("error: --output " + output + " is a folder; name a file in it, e.g. " + output.resolve(
          "workflow.json"));
      return LatentStudioCommand.BAD_INPUT;
    } else {
      try {
        AtomicFiles.write(output, json.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.println("error: cannot write " + output + ": " + IoErrors.reason(e) + "; choose a file you can write");
        return LatentStudioCommand.FAILED;
      }
      err.println("wrote " + output);
    }
    return LatentStudioCommand.OK;
  }

  private static String pretty(JsonNode tree) {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
