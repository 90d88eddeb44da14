package org.latentstudio.cli;

import java.io.PrintWriter;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.NodeExecutionException;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeId;

/**
 * Prints a run's progress to the terminal: a line per node, and a progress bar with it/s for loops such as
 * the sampler's steps. On a terminal the bar redraws in place; in a log each step is one line.
 */
final class ConsoleProgress implements ExecutionListener {
  private static final int BAR_WIDTH = 30;
  private final PrintWriter err;
  private final boolean interactive;
  private long loopStart;
  private int lastTotal;

  ConsoleProgress(PrintWriter err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  @Override
  public void runStarted(int planned, int toRun) {
    err.println("running " + toRun + " of " + planned + " nodes (" + (planned - toRun) + " cached)");
  }

  @Override
  public void nodeStarted(NodeId id, String type) {
    loopStart = 0;
    err.println("> " + id + " (" + type + ")");
  }

  @Override
  public void progress(NodeId id, int step, int total) {
    long now = System.nanoTime();
    if (step <= 0 || loopStart == 0 || total != lastTotal) {
      loopStart = now;
      lastTotal = total;
      if (step <= 0) {
        return;
      }
    }
    double seconds = (now - loopStart) / 1e9;
    // the first step's time is unknown (the loop started before it), so rate counts from step 1
    double rate = step > 1 && seconds > 0 ? (step - 1) / seconds : 0;
    int filled = total == 0 ? BAR_WIDTH : (int) Math.round(BAR_WIDTH * (double) step / total);
    String bar = "  [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + step + "/" + total
        + (rate > 0 ? String.format(java.util.Locale.ROOT, "  %.2f it/s", rate) : "");
    if (interactive) {
      err.print("\r" + bar + (step == total ? "\n" : ""));
    } else {
      err.println(bar);
    }
    err.flush();
  }

  @Override
  public void warning(NodeId id, String message) {
    if (interactive && lastTotal > 0) {
      err.println();
    }
    err.println("  warning: " + message);
    err.flush();
  }

  @Override
  public void nodeFinished(NodeId id, String type, Outputs outputs, long nanos) {
    err.println(String.format(java.util.Locale.ROOT, "  done in %.3f s", nanos / 1e9));
  }

  @Override
  public void nodeFailed(NodeExecutionException error) {
    err.println();
  }
}
