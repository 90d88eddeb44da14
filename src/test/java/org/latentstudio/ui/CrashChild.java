package org.latentstudio.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.latentstudio.app.AppContext;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import java.nio.charset.StandardCharsets;
import org.latentstudio.io.AtomicFiles;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.ui.models.ModelCatalog;

/**
 * The process {@code CrashSafetyTest} kills with SIGKILL, doing one thing over and over until it dies:
 * <ul>
 *   <li>{@code save FILE}: saves two different large workflows to FILE in turn;
 *   <li>{@code png DIR}: saves large pictures into DIR through the Save Image node's own code;
 *   <li>{@code studio USERDIR REPO}: opens the studio on the default workflow, edits it and queues a long run.
 * </ul>
 * Each prints a line when it is under way, so the test knows when to kill.
 */
public final class CrashChild {
  /** Far beyond the test's life: only queuing the run may write the recovery copy, not the timer. */
  static final int AUTOSAVE_SECONDS = 3600;

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "save" -> saveLoop(Path.of(args[1]));
      case "png" -> pngLoop(Path.of(args[1]));
      case "studio" -> studio(Path.of(args[1]), Path.of(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** A workflow of {@code n} notes whose text is {@code fill}: a few MB, so a save takes a while. */
  public static Workflow bigWorkflow(int n, char fill) {
    Graph g = Graph.empty();
    for (int i = 0; i < n; i++) {
      g = g.withNode(Node.of("n" + i, "Note").withWidget("text", String.valueOf(fill).repeat(2000)));
    }
    return Workflow.of(g);
  }

  /**
   * Saves as {@link WorkflowCodec#save} does ({@link AtomicFiles#write} of the codec's bytes), but hands the bytes
   * over in 64 kB pieces, as a slow disk would take them: a save that wrote in place would then be caught torn.
   */
  private static void saveLoop(Path file) throws Exception {
    WorkflowCodec codec = new WorkflowCodec();
    byte[] a = codec.write(bigWorkflow(1500, 'a')).getBytes(StandardCharsets.UTF_8);
    byte[] b = codec.write(bigWorkflow(1500, 'b')).getBytes(StandardCharsets.UTF_8);
    codec.save(bigWorkflow(1500, 'a'), file);
    System.out.println("saving");
    System.out.flush();
    for (long i = 0; ; i++) {
      byte[] bytes = i % 2 == 0 ? b : a;
      AtomicFiles.write(file, out -> {
        for (int at = 0; at < bytes.length; at += 65536) {
          out.write(bytes, at, Math.min(65536, bytes.length - at));
          out.flush();
        }
      });
    }
  }

  private static void pngLoop(Path dir) throws Exception {
    org.latentstudio.nodes.image.SaveLoop.run(dir);
  }

  /** The studio on the real nodes: open the default workflow, change the prompt, queue a run of many steps. */
  private static void studio(Path userDir, Path repo) throws Exception {
    AppContext app = new AppContext();
    Platform.startup(() -> {
      StudioConfig cfg = new StudioConfig(app.registry(), app.executor(), userDir, userDir.resolve("output"), null,
          ModelCatalog.NONE, w -> new ScriptedDialogs(), new StudioTestBase.RecordingDesktop(), 1, AUTOSAVE_SECONDS,
          false);
      Stage stage = new Stage();
      StudioWindow studio = new StudioWindow(stage, cfg);
      studio.show();
      studio.openPath(repo.resolve("graphs/txt2img.json"));
      studio.document().execute(new SetWidget(NodeId.of("positive"), "text", "a crash test, unsaved"));
      studio.document().execute(new SetWidget(NodeId.of("sampler"), "steps", 10_000L));
      studio.run();
      System.out.println("running");
      System.out.flush();
    });
    List<Object> keepAlive = new ArrayList<>();
    keepAlive.add(app);
    Thread.sleep(Long.MAX_VALUE);
  }
}
