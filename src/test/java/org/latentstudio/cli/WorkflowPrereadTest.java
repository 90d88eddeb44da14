package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.testing.AppTest;

class WorkflowPrereadTest extends AppTest {
  private static final Path MATH = Path.of("src/test/resources/workflows/math.json");

  @TempDir
  Path dir;

  @Test
  void theWorkflowNamedAfterRunIsReadAheadAndHandedOverForThatFileOnly() throws Exception {
    WorkflowPreread preread = WorkflowPreread.start(app, new String[] {"run", "--set", "width.value=10",
        "--output", dir.resolve("out.json").toString(), MATH.toString()});
    Workflow ahead = preread.take(MATH);
    assertNotNull(ahead);
    Workflow direct = WorkflowPreread.read(app, MATH);
    assertEquals(new WorkflowCodec().write(direct), new WorkflowCodec().write(ahead));
    assertNull(preread.take(Path.of("src/test/resources/workflows/cycle.json")), "another file: read it as usual");
  }

  @Test
  void otherCommandsAndMissingFilesReadNothingAhead() throws Exception {
    assertSame(WorkflowPreread.NONE, WorkflowPreread.start(app, new String[] {"validate", MATH.toString()}));
    assertSame(WorkflowPreread.NONE, WorkflowPreread.start(app, new String[] {"run"}));
    assertSame(WorkflowPreread.NONE, WorkflowPreread.start(app, new String[] {"run", "missing.json"}));
    assertNull(WorkflowPreread.NONE.take(MATH));
  }

  @Test
  void aBrokenWorkflowFailsWithTheMessageReadingItGives() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"nodes\": [");
    WorkflowPreread preread = WorkflowPreread.start(app, new String[] {"run", broken.toString()});
    WorkflowFormatException ahead = assertThrows(WorkflowFormatException.class, () -> preread.take(broken));
    WorkflowFormatException direct = assertThrows(WorkflowFormatException.class,
        () -> WorkflowPreread.read(app, broken));
    assertEquals(direct.getMessage(), ahead.getMessage());
  }
}
