package org.latentstudio.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;

/**
 * The workflow reader on arbitrary bytes (JSON, PNG with a workflow inside, anything): it returns a workflow or
 * throws {@link WorkflowFormatException} with a message for a user, nothing else. What it reads, it writes and
 * reads back to the same graph. Seeds: {@code src/test/resources/fuzz/workflow}. See {@link FuzzRuns}.
 */
public class WorkflowReaderFuzz {
  private static final WorkflowCodec CODEC = new WorkflowCodec();

  public static void fuzzerTestOneInput(byte[] input) {
    Workflow wf;
    try {
      wf = CODEC.read(input, "fuzz.json");
    } catch (WorkflowFormatException e) {
      FuzzRuns.checkMessage(e.getMessage(), input);
      return;
    }
    try {
      Workflow again = CODEC.parse(CODEC.write(wf), "written");
      if (!again.graph().equals(wf.graph())) {
        throw new AssertionError("a workflow read, written and read again changed:\n" + CODEC.write(wf));
      }
    } catch (WorkflowFormatException e) {
      throw new AssertionError("a workflow the reader accepted cannot be read back: " + e.getMessage(), e);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void workflowReader(byte[] input) {
    fuzzerTestOneInput(input);
  }
}
