package org.latentstudio.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.StartupClock;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowFormatException;

/**
 * The workflow of a {@code run} command line, read on the second core while picocli builds and parses the command
 * line: both take about 0.15 s of a cold start, and the sessions can only be made ahead once the workflow is read.
 * The file is guessed before parsing (the first argument that names an existing .json or .png file); {@link
 * #take} hands the result over only for the file picocli parsed, so a wrong guess costs a wasted read, never a
 * wrong workflow.
 */
final class WorkflowPreread {
  static final WorkflowPreread NONE = new WorkflowPreread(null, null);

  private final Path file;
  private final CompletableFuture<Workflow> read;

  private WorkflowPreread(Path file, CompletableFuture<Workflow> read) {
    this.file = file;
    this.read = read;
  }

  /** Starts reading the workflow named after {@code run}, if there is one; the read is the one {@link #read} does. */
  static WorkflowPreread start(AppContext app, String[] args) {
    if (args.length < 2 || !args[0].equals("run")) {
      return NONE;
    }
    for (int i = 1; i < args.length; i++) {
      String lower = args[i].toLowerCase(Locale.ROOT);
      if (!args[i].startsWith("-") && (lower.endsWith(".json") || lower.endsWith(".png"))) {
        Path file = pathOrNull(args[i]);
        if (file == null || !Files.isRegularFile(file)) {
          continue; // an option's value, or a file that is not there, which picocli's parse will report
        }
        CompletableFuture<Workflow> read = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("latentstudio-workflow-read").start(() -> {
          try {
            read.complete(read(app, file));
            StartupClock.mark("workflow read ahead");
          } catch (WorkflowFormatException | RuntimeException | Error e) {
            read.completeExceptionally(e); // an Error too: take() must never wait for a read that ended
          }
        });
        return new WorkflowPreread(file, read);
      }
    }
    return NONE;
  }

  private static Path pathOrNull(String arg) {
    try {
      return Path.of(arg);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  /** The workflow in {@code file} as the commands that run it read it: ComfyUI's model names checked. */
  static Workflow read(AppContext app, Path file) throws WorkflowFormatException {
    return new WorkflowFiles(app.registry(), ModelNames.of(app.models())).read(file).workflow();
  }

  /** The workflow read ahead when it was read from {@code file} (its error, if it had one), else null. */
  Workflow take(Path file) throws WorkflowFormatException {
    if (read == null || !this.file.equals(file)) {
      return null;
    }
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case WorkflowFormatException w -> throw w;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }
}
