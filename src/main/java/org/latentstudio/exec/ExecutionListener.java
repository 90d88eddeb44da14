package org.latentstudio.exec;

import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;

/**
 * Receives what happens during a run, on the executor's thread. The UI hops to its own thread; the CLI prints.
 * All methods default to doing nothing.
 */
public interface ExecutionListener {
  ExecutionListener NONE = new ExecutionListener() {};

  /** The run begins; {@code toRun} nodes will be evaluated, the rest of the plan comes from the cache. */
  default void runStarted(int planned, int toRun) {}

  default void nodeStarted(NodeId id, String type) {}

  default void nodeCached(NodeId id, String type) {}

  default void progress(NodeId id, int step, int total) {}

  default void preview(NodeId id, RgbImage image) {}

  /** A running node warns of something the user may want to act on; the run goes on. */
  default void warning(NodeId id, String message) {}

  default void nodeFinished(NodeId id, String type, Outputs outputs, long nanos) {}

  default void nodeFailed(NodeExecutionException error) {}

  default void runFinished(RunResult result) {}
}
