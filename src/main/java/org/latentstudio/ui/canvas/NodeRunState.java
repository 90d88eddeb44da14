package org.latentstudio.ui.canvas;

/**
 * What the last or current run did with a node, as the canvas shows it.
 *
 * @param step    the progress step while running, else 0
 * @param total   the number of steps, 0 when the node reports none
 * @param message the error for FAILED, a note ("1.4 s") for DONE, else empty
 */
public record NodeRunState(Phase phase, int step, int total, String message) {
  public enum Phase { IDLE, WAITING, RUNNING, CACHED, DONE, FAILED }

  public static final NodeRunState IDLE = new NodeRunState(Phase.IDLE, 0, 0, "");

  public static NodeRunState of(Phase phase) {
    return new NodeRunState(phase, 0, 0, "");
  }

  public double fraction() {
    return total <= 0 ? 0 : Math.min(1, (double) step / total);
  }
}
