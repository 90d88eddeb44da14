package org.latentstudio.exec;

import java.util.List;
import java.util.stream.Collectors;
import org.latentstudio.graph.Problem;

/** The graph cannot run as it is. Carries every problem found, each naming its node and the fix. */
public final class GraphValidationException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public GraphValidationException(List<Problem> problems) {
    super(problems.stream().map(Problem::describe).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
