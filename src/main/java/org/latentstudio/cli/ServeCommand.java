package org.latentstudio.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.QueuedRun;
import org.latentstudio.io.IoErrors;
import org.latentstudio.server.ComfyServer;
import org.latentstudio.server.ServerFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentstudio serve [--port 8188] [--listen ADDRESS]}: ComfyUI's API for ComfyUI's scripts and clients. */
@Command(name = "serve", description = "Answer ComfyUI's HTTP and WebSocket API (POST /prompt, /ws, /history, /view, "
    + "...) so ComfyUI's scripts and clients run their prompts here. Stop with Ctrl+C.")
final class ServeCommand implements Callable<Integer> {
  private final AppContext app;
  private final CancellationToken interrupt;
  private final AtomicBoolean stopping = new AtomicBoolean();

  @Option(names = "--port", defaultValue = "8188", description = "Port (default: ${DEFAULT-VALUE}, ComfyUI's).")
  int port;

  @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = ComfyServer.DEFAULT_ADDRESS,
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
  String listen;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Folder for saved pictures (default: the settings' output folder, else ~/.latentstudio/output).")
  Path output;

  @Option(names = "--input", paramLabel = "DIR",
      description = "Folder for uploads and LoadImage, the only one it reads pictures from (default: ~/.latentstudio/input).")
  Path input;

  @Spec
  CommandSpec spec;

  ServeCommand(AppContext app, CancellationToken interrupt) {
    this.app = app;
    this.interrupt = interrupt;
  }

  /** --output, else the settings' output folder (as the studio's server uses), else ~/.latentstudio/output. */
  ServerFolders folders() {
    Path user = AppPaths.userDir();
    return new ServerFolders(input != null ? input : user.resolve("input"),
        output != null ? output : app.settings().runSettings(user.resolve("output")).outputDir(),
        user.resolve("temp"));
  }

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      err.println("error: --port must be between 0 and 65535, not " + port);
      return LatentStudioCommand.BAD_INPUT;
    }
    for (String problem : new String[] {
        FolderOption.problem("--output", output, "name a folder, or leave the option out for the default"),
        FolderOption.problem("--input", input, "name a folder, or leave the option out for the default")}) {
      if (problem != null) {
        err.println("error: " + problem);
        return LatentStudioCommand.BAD_INPUT;
      }
    }
    ServerFolders folders = folders();
    try {
      folders.create();
    } catch (IOException e) {
      err.println("error: cannot create the server's folders: " + IoErrors.reasonAt(e));
      return LatentStudioCommand.FAILED;
    }
    String version = new Version().getVersion()[0].replace("Latent Studio ", "");
    ComfyServer server = new ComfyServer(app.executor(), app.models(), folders, listen, port, version);
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      err.println("error: cannot listen on " + listen + ":" + port + ": " + rootMessage(e)
          + ". Is another server (ComfyUI?) using the port? Try --port " + (port + 1));
      return LatentStudioCommand.FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "latentstudio-serve-stop")); // SIGTERM
    err.println("Serving ComfyUI's API at " + server.url() + " (WebSocket " + server.url().replace("http", "ws")
        + "/ws); pictures go to " + folders.output() + ", uploads to " + folders.input() + ". Ctrl+C stops.");
    err.flush();
    while (!interrupt.isCancelled()) { // Ctrl+C cancels it (CtrlC)
      Thread.sleep(100);
    }
    stop(server);
    return LatentStudioCommand.CANCELLED;
  }

  /**
   * Cancels every prompt, waits for the running one to end its step, then closes the server: ONNX Runtime must
   * not be torn down while a call is inside it (see {@link CtrlC}). Once, whether Ctrl+C or SIGTERM asks first.
   */
  private void stop(ComfyServer server) {
    if (stopping.getAndSet(true)) {
      return;
    }
    List<QueuedRun> runs = app.executor().queue().active();
    runs.forEach(QueuedRun::cancel);
    for (QueuedRun run : runs) {
      try {
        run.result().get();
      } catch (ExecutionException e) {
        // it failed rather than stopped: stopped all the same
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
