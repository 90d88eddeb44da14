package org.latentstudio.ui.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.io.Workflow;

class RecoveryTest {
  @TempDir
  Path dir;

  @Test
  void aLiveSessionsCopyIsNotOfferedButADeadOnesIs() throws Exception {
    Graph g = Graph.empty().withNode(Node.of("a", "PrimitiveInt"));
    Recovery live = new Recovery(dir, ProcessHandle.current().pid());
    live.save(Workflow.of(g), dir.resolve("work.json"));
    assertTrue(live.orphans().isEmpty(), "our own copy is not an orphan");
    Recovery other = new Recovery(dir, 999_999_999L);
    other.save(Workflow.of(g), null);
    List<Recovery.Found> found = live.orphans();
    assertEquals(1, found.size());
    assertEquals(g, found.get(0).workflow().graph());
    assertFalse(found.get(0).workflow().extra().has("recovery"), "the bookkeeping does not leak into the document");
    live.remove(found.get(0));
    assertTrue(live.orphans().isEmpty());
    live.discard();
    assertFalse(Files.exists(live.file()));
  }

  @Test
  void aDamagedCopyIsIgnored() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("session-999999998.json"), "{ truncated");
    assertTrue(new Recovery(dir, 1).orphans().isEmpty());
  }

  @Test
  void recentFilesKeepTheNewestTenAndSurviveARestart() throws Exception {
    Path store = dir.resolve("recent.json");
    RecentFiles r = new RecentFiles(store);
    for (int i = 0; i < 12; i++) {
      Path f = dir.resolve("w" + i + ".json");
      Files.writeString(f, "{}");
      r.add(f);
    }
    r.add(dir.resolve("w5.json"));
    List<Path> list = new RecentFiles(store).list();
    assertEquals(10, list.size());
    assertEquals(dir.resolve("w5.json").toAbsolutePath().normalize(), list.get(0));
    Files.delete(dir.resolve("w11.json"));
    assertFalse(new RecentFiles(store).list().contains(dir.resolve("w11.json").toAbsolutePath().normalize()));
  }
}
