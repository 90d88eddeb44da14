package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentstudio.edit.SetTitle;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The hostile files of issue 14, dropped on the studio with unsaved work open: each shows its message in a
 * dialog, and the document stays as it was, unsaved changes and all. The studio does not even ask about the
 * unsaved changes, since nothing would replace them.
 */
class BadFilesInTheStudioTest extends StudioTestBase {
  private final WorkflowCodec codec = new WorkflowCodec();

  private Path file(String name, byte[] content) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  private Path file(String name, String content) throws Exception {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachBadFileShowsItsMessageAndLeavesTheDocumentAlone() throws Exception {
    Graph open = DemoGraphs.sample();
    fx(() -> {
      studio.document().load(Workflow.of(open), null, true);
      studio.document().execute(new SetTitle(NodeId.of("math"), "unsaved idea"));
      return null;
    });
    Graph before = graph();
    String good = codec.write(Workflow.of(open));
    String marked = good.replace("\"version\"", "\"versi\u0001n\"");
    byte[] badUtf8 = marked.getBytes(StandardCharsets.UTF_8);
    badUtf8[marked.indexOf('\u0001')] = (byte) 0xc3; // a lead byte followed by ASCII: not UTF-8
    Path noWorkflow = tmp.resolve("photo.png");
    try (OutputStream out = Files.newOutputStream(noWorkflow)) {
      PngText.write(new RgbImage(8, 8, new byte[192]), Map.of("Software", "a camera"), out);
    }
    byte[] png = Files.readAllBytes(noWorkflow);
    Path cut = file("cut.png", Arrays.copyOf(png, 20));

    List<Object[]> cases = List.of(
        new Object[] {file("utf8.json", badUtf8), "is not UTF-8 text"},
        new Object[] {file("two.json", good + "{}"), "goes on after the workflow ends"},
        new Object[] {file("object.json", good.replace("\"multiply\"", "{\"op\": 1}")), "expected a value"},
        new Object[] {file("nul.json", good.replaceFirst("\"size\": \\[ [^\\]]*\\]", "\"size\": [320, \"\\\\u0000\"]")),
            "field 'size'"},
        new Object[] {file("nan.json", good.replaceFirst("\"pos\": \\[ [-0-9.]+", "\"pos\": [ NaN")),
            "not a number JSON allows"},
        new Object[] {file("huge.json", good.replaceFirst("\"pos\": \\[ [-0-9.]+", "\"pos\": [ 1e999")),
            "the number is too large"},
        new Object[] {file("version.json", good.replace("\"version\": 2", "\"version\": \"2\"")),
            "write it as a number"},
        new Object[] {file("title.json", good.replace("\"type\": \"IntMath\",", "\"type\": \"IntMath\", \"title\": [],")),
            "field 'title': expected text, found a list"},
        new Object[] {noWorkflow, "has no workflow inside"},
        new Object[] {cut, "is not a readable PNG picture"},
        new Object[] {file("photo.jpg.json", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0}), "a JPEG picture"},
        new Object[] {file("empty.json", ""), "is empty"});
    for (Object[] c : cases) {
      Path bad = (Path) c[0];
      int errors = dialogs.errors.size();
      fx(() -> {
        studio.openDropped(List.of(bad));
        return null;
      });
      WaitForAsyncUtils.waitForFxEvents();
      assertEquals(errors + 1, dialogs.errors.size(), () -> bad + ": no dialog");
      String shown = dialogs.errors.get(errors);
      assertTrue(shown.contains((String) c[1]), () -> bad + ": " + shown);
      assertTrue(shown.startsWith("Cannot open " + bad.getFileName()), shown);
      assertEquals(before, graph(), bad + " changed the document");
      assertTrue(fx(() -> studio.document().isDirty()), bad + ": the unsaved changes are still unsaved");
    }
    assertFalse(dialogs.asked.stream().anyMatch(a -> a.startsWith("discard")),
        "nothing was going to replace the document, so nothing asked: " + dialogs.asked);
  }
}
