package org.latentstudio.exec;

import java.util.List;
import java.util.Map;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.Problem;

/**
 * How a run ended.
 *
 * @param outputs  the outputs of every node the run used, by node
 * @param error    the failure when status is FAILED, else null
 * @param problems why the graph could not run when status is INVALID, else empty
 * @param executed nodes evaluated in this run
 * @param cached   nodes served from the cache
 */
public record RunResult(Status status, Map<NodeId, Outputs> outputs, NodeExecutionException error,
    List<Problem> problems, int executed, int cached, long nanos) {

  public enum Status { SUCCEEDED, FAILED, CANCELLED, INVALID }

  public RunResult {
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    problems = List.copyOf(problems);
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }

  /** One paragraph for a user: what went wrong and where. */
  public String failureMessage() {
    return switch (status) {
      case SUCCEEDED -> "";
      case CANCELLED -> "the run was cancelled";
      case FAILED -> error.getMessage();
      case INVALID -> String.join("\n", problems.stream().map(Problem::describe).toList());
    };
  }
}
