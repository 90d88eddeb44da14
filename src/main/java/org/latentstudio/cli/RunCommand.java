package org.latentstudio.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.StartupClock;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.io.WritableFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentstudio run WORKFLOW.json [--set NODE.INPUT=VALUE]... [--output DIR]}. */
@Command(name = "run", description = "Run a workflow file and save what its output nodes produce.")
final class RunCommand implements Callable<Integer> {
  private final AppContext app;

  @Mixin
  WorkflowOptions workflow;

  @Option(names = {"--output", "-o"}, paramLabel = "DIR",
      description = "Folder for saved images (default: the settings' output folder, else ./output).")
  Path output;

  @Option(names = "--quiet", description = "Print only results and errors.")
  boolean quiet;

  @Spec
  CommandSpec spec;

  private final CancellationToken interrupt;

  RunCommand(AppContext app, CancellationToken interrupt) {
    this.app = app;
    this.interrupt = interrupt;
  }

  @Override
  public Integer call() {
    app.startRuntimeEarly();
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    String badOutput = FolderOption.problem("--output", output, "name a folder, for example --output out");
    if (badOutput != null) {
      err.println("error: " + badOutput);
      return LatentStudioCommand.BAD_INPUT;
    }
    StartupClock.mark("command line read");
    Workflow wf;
    try {
      wf = workflow.load(app);
    } catch (WorkflowFormatException | Overrides.BadOverride e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    StartupClock.mark("workflow read");
    Graph graph = wf.graph();
    app.prefetchSessions(graph);
    RunSettings settings = output != null ? new RunSettings(output, app.settings().previewEvery())
        : app.settings().runSettings(Path.of("output"));
    String unusable = output == null ? WritableFolder.problem(settings.outputDir()) : null;
    if (unusable != null) {
      err.println("error: the output folder " + settings.outputDir() + unusable + "; change outputFolder in the "
          + "studio's Preferences or settings.json, or give --output");
      return LatentStudioCommand.BAD_INPUT;
    }
    // the texts for the pictures (the workflow, ComfyUI's prompt) are made on another core while the nodes run
    CompletableFuture<RunRequest.PictureText> text = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("latentstudio-picture-text").start(() -> {
      try {
        text.complete(new RunRequest.PictureText(new WorkflowCodec().write(wf),
            new WorkflowFiles(app.registry(), null).comfyPictureText(wf)));
        StartupClock.mark("workflow text for the pictures made");
      } catch (RuntimeException | Error e) {
        text.completeExceptionally(e);
      }
    });
    RunRequest request = new RunRequest(graph, Set.of(), settings, text::join);
    ExecutionListener listener = quiet ? ExecutionListener.NONE : new ConsoleProgress(err, System.console() != null);
    if (StartupClock.enabled()) {
      listener = new StartupMarks(listener);
    }
    RunResult result = app.executor().run(request, listener, interrupt);
    return switch (result.status()) {
      case SUCCEEDED -> {
        printResults(result, out);
        yield LatentStudioCommand.OK;
      }
      case INVALID -> {
        result.problems().forEach(p -> err.println("error: " + p.describe()));
        yield LatentStudioCommand.BAD_INPUT;
      }
      case FAILED -> {
        err.println("error: " + result.error().getMessage());
        if (Boolean.getBoolean("latentstudio.verbose")) {
          result.error().printStackTrace(err);
        }
        yield LatentStudioCommand.FAILED;
      }
      case CANCELLED -> LatentStudioCommand.CANCELLED; // the command line says "cancelled"
    };
  }

  /** Marks each node's end for {@link StartupClock}, then passes the event on. */
  private record StartupMarks(ExecutionListener next) implements ExecutionListener {
    @Override
    public void nodeStarted(NodeId id, String type) {
      StartupClock.mark(id + " started");
      next.nodeStarted(id, type);
    }

    @Override
    public void nodeFinished(NodeId id, String type, Outputs outputs, long nanos) {
      StartupClock.mark(id + " finished");
      next.nodeFinished(id, type, outputs, nanos);
    }

    @Override
    public void progress(NodeId id, int step, int total) {
      if (step == 1) {
        StartupClock.mark(id + " step 1 done");
      }
      next.progress(id, step, total);
    }

    @Override
    public void nodeFailed(org.latentstudio.exec.NodeExecutionException error) {
      next.nodeFailed(error);
    }

    @Override
    public void runFinished(RunResult result) {
      next.runFinished(result);
    }
  }

  private static void printResults(RunResult result, java.io.PrintWriter out) {
    for (var e : result.outputs().entrySet()) {
      NodeId id = e.getKey();
      Outputs o = e.getValue();
      for (String line : o.display().text()) {
        out.println(id + ": " + line);
      }
      for (Path p : o.display().files()) {
        out.println("saved " + p);
      }
    }
    out.flush();
  }
}
