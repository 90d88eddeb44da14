package org.latentstudio.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.latentstudio.app.AppContext;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.io.WorkflowCodec;

/** Runs a shipped workflow from graphs/ with --set style overrides, as a user runs it from the command line. */
public final class WorkflowRuns {
  private WorkflowRuns() {}

  /** {@code graphs/<workflow>} with the overrides applied ("node.input=value"). */
  public static Graph graph(AppContext app, String workflow, List<String> sets) throws Exception {
    return Overrides.apply(new WorkflowCodec().read(Path.of("graphs", workflow)).graph(), app.registry(), sets);
  }

  /** Runs it to the end, pictures saved under {@code out}, no previews. */
  public static RunResult run(AppContext app, Path out, String workflow, List<String> sets) throws Exception {
    return run(app, out, graph(app, workflow, sets));
  }

  public static RunResult run(AppContext app, Path out, Graph graph) {
    return app.executor().run(new RunRequest(graph, Set.of(), new RunSettings(out, 0), "{}"), ExecutionListener.NONE,
        new CancellationToken());
  }
}
