package org.latentstudio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The desktop knows a saved workflow by its first bytes (installer/jpackage/linux/latentstudio-mime.xml): what the
 * studio saves, and the bundled workflows, must say "latentstudio-workflow" where that file looks, or a
 * double-click opens them as plain JSON.
 */
class WorkflowFileTypeTest {
  @TempDir
  Path dir;

  private record Magic(String value, int from, int to) {
    boolean matches(byte[] file) {
      String head = new String(file, 0, Math.min(file.length, to + value.length()), StandardCharsets.ISO_8859_1);
      int at = head.indexOf(value, from);
      return at >= from && at <= to;
    }
  }

  private static Magic magic() throws Exception {
    Path types = Path.of("installer/jpackage/linux/latentstudio-mime.xml");
    Element match = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(types.toFile())
        .getElementsByTagName("match").item(0);
    String[] range = match.getAttribute("offset").split(":");
    assertEquals("string", match.getAttribute("type"));
    return new Magic(match.getAttribute("value"), Integer.parseInt(range[0]), Integer.parseInt(range[1]));
  }

  @Test
  void savedAndBundledWorkflowsAreKnownByTheirFirstBytes() throws Exception {
    Magic magic = magic();
    Path saved = dir.resolve("saved.json");
    new WorkflowCodec().save(Workflow.of(WorkflowCodecTest.sample()), saved);
    assertTrue(magic.matches(Files.readAllBytes(saved)), "a saved workflow");
    List<Path> bundled;
    try (Stream<Path> files = Files.list(Path.of("graphs"))) {
      bundled = files.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertTrue(bundled.size() >= 3, bundled.toString());
    for (Path p : bundled) {
      assertTrue(magic.matches(Files.readAllBytes(p)), p.toString());
    }
    assertFalse(magic.matches("{\"last_node_id\": 9, \"nodes\": []}".getBytes(StandardCharsets.UTF_8)),
        "other JSON stays JSON");
  }
}
