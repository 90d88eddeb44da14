package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.input.KeyCode;
import javafx.stage.WindowEvent;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.latentstudio.edit.MoveItems;
import org.latentstudio.edit.SetTitle;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Vec2;
import org.latentstudio.image.PngText;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.testfx.util.WaitForAsyncUtils;

/** New, open, save, save as, recent files, PNG drops, the unsaved marker, closing, and crash recovery. */
class FilesTest extends StudioTestBase {
  private final WorkflowCodec codec = new WorkflowCodec();

  private String title() {
    return fx(() -> studio.stage().getTitle());
  }

  private void ctrl(KeyCode k) {
    robot.press(KeyCode.CONTROL).type(k).release(KeyCode.CONTROL);
  }

  /**
   * Save on a file that cannot be replaced where it is (an example in the installed app's folder; here a file whose
   * folder is gone, since the tests run as a user who may write anywhere) asks where to save, and saves there.
   */
  @Test
  void saveOfAFileThatCannotBeReplacedAsksWhere() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("examples"));
    Path example = folder.resolve("txt2img.json");
    codec.save(Workflow.of(DemoGraphs.sample()), example);
    fx(() -> studio.openPath(example));
    waitUntil("opened", () -> example.equals(studio.document().file()));
    Files.delete(example);
    Files.delete(folder);
    Path copy = tmp.resolve("mine.json");
    dialogs.files.add(copy);
    ctrl(KeyCode.S);
    waitUntil("the copy", () -> Files.isRegularFile(copy));
    assertTrue(dialogs.asked.contains("save txt2img.json"), dialogs.asked::toString);
    assertEquals(List.of(), dialogs.errors, "no error first: it asked at once");
    assertEquals(copy, fx(() -> studio.document().file()));
  }

  @Test
  void saveAndOpenRoundTripWithTheUnsavedMarker() throws Exception {
    load(DemoGraphs.sample());
    assertEquals("Untitled \u2014 Latent Studio", title());
    fx(() -> studio.document().execute(new SetTitle(id("math"), "Double it")));
    assertEquals("*Untitled \u2014 Latent Studio", title());

    Path file = tmp.resolve("my flow.json");
    dialogs.files.add(file);
    ctrl(KeyCode.S);
    waitUntil("the save", () -> Files.isRegularFile(file));
    assertEquals("my flow.json \u2014 Latent Studio", title());
    Graph saved = graph();
    assertEquals(saved, codec.read(file).graph());
    assertTrue(codec.read(file).extra().has("view"), "the view position is kept in the file");

    fx(() -> studio.document().execute(MoveItems.nodes(Set.of(id("math")), new Vec2(10, 0))));
    assertEquals("*my flow.json \u2014 Latent Studio", title());
    ctrl(KeyCode.Z);
    waitUntil("clean again", () -> !studio.document().isDirty());
    assertEquals("my flow.json \u2014 Latent Studio", title());

    // New: nothing unsaved, so no question
    ctrl(KeyCode.N);
    waitUntil("empty", () -> studio.document().graph().nodes().isEmpty());
    assertTrue(dialogs.asked.stream().noneMatch(a -> a.startsWith("discard")));

    // Open brings it back, with its zoom
    double zoomAtSave = codec.read(file).extra().get("view").get("zoom").asDouble();
    fx(() -> canvas().setView(2, 0, 0));
    dialogs.files.add(file);
    ctrl(KeyCode.O);
    waitUntil("opened", () -> studio.document().graph().equals(saved));
    assertEquals(zoomAtSave, fx(() -> canvas().zoom()), 1e-3);
    assertEquals(file, fx(() -> studio.document().file()));
    assertFalse(fx(() -> studio.document().isDirty()));

    // and it is in Open Recent
    var recent = new org.latentstudio.ui.files.RecentFiles(tmp.resolve("user").resolve("recent.json"));
    assertEquals(file.toAbsolutePath().normalize(), recent.list().get(0));

    // Save As writes elsewhere and follows the new file
    Path other = tmp.resolve("copy.json");
    dialogs.files.add(other);
    robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.S).release(KeyCode.SHIFT, KeyCode.CONTROL);
    waitUntil("save as", () -> Files.isRegularFile(other));
    assertEquals("copy.json \u2014 Latent Studio", title());
  }

  @Test
  void replacingAnUnsavedDocumentAsksFirst() {
    load(DemoGraphs.sample());
    fx(() -> studio.document().execute(new SetTitle(id("math"), "changed")));
    dialogs.discardAnswers.add(Dialogs.SaveChoice.CANCEL);
    ctrl(KeyCode.N);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, dialogs.asked.stream().filter(a -> a.startsWith("discard")).count());
    assertEquals(DemoGraphs.sample().nodes().size(), graph().nodes().size(), "cancel keeps the document");
    dialogs.discardAnswers.add(Dialogs.SaveChoice.DISCARD);
    ctrl(KeyCode.N);
    waitUntil("new", () -> studio.document().graph().nodes().isEmpty());
  }

  @Test
  void closingWithUnsavedChangesAsksAndCanBeCancelledOrSaved() throws Exception {
    load(DemoGraphs.sample());
    fx(() -> studio.document().execute(new SetTitle(id("math"), "changed")));
    dialogs.discardAnswers.add(Dialogs.SaveChoice.CANCEL);
    fx(() -> studio.stage().fireEvent(new WindowEvent(studio.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(fx(() -> studio.stage().isShowing()), "cancel keeps the window open");
    assertTrue(dialogs.asked.contains("discard Untitled"));

    Path file = tmp.resolve("closing.json");
    dialogs.discardAnswers.add(Dialogs.SaveChoice.SAVE);
    dialogs.files.add(file);
    fx(() -> studio.stage().fireEvent(new WindowEvent(studio.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(Files.isRegularFile(file), "Save writes before closing");
    assertEquals("changed", codec.read(file).graph().require(id("math")).title());
  }

  @Test
  void droppingAPngWithAWorkflowLoadsIt() throws Exception {
    Graph inside = CanvasEditingTest.twoNumbers();
    Path png = tmp.resolve("picture.png");
    try (var out = Files.newOutputStream(png)) {
      PngText.write(new org.latentstudio.image.RgbImage(32, 32, new byte[32 * 32 * 3]),
          Map.of("workflow", codec.write(Workflow.of(inside)), "prompt", "{}"), out);
    }
    fx(() -> studio.openDropped(List.of(png)));
    waitUntil("loaded", () -> studio.document().graph().equals(inside));
    assertTrue(title().contains("from picture.png"), title());
    assertTrue(fx(() -> studio.document().isDirty()), "a graph from a picture is not saved anywhere yet");
    assertNull(fx(() -> studio.document().file()), "Save asks where, it does not overwrite the picture");

    // a picture without a workflow says so, and changes nothing
    Path plain = tmp.resolve("plain.png");
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", plain.toFile());
    dialogs.discardAnswers.add(Dialogs.SaveChoice.DISCARD);
    fx(() -> studio.openDropped(List.of(plain)));
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(dialogs.errors.get(0).contains("has no workflow inside"), dialogs.errors.toString());
    assertEquals(inside, graph());

    // a workflow file dropped in the same way opens as itself
    Path json = tmp.resolve("dropped.json");
    codec.save(Workflow.of(DemoGraphs.sample()), json);
    dialogs.discardAnswers.add(Dialogs.SaveChoice.DISCARD);
    fx(() -> studio.openDropped(List.of(tmp.resolve("notes.txt"), json)));
    waitUntil("the json", () -> studio.document().graph().equals(DemoGraphs.sample()));
    assertEquals(json, fx(() -> studio.document().file()));
  }

  @Test
  void afterACrashTheNextStartOffersTheAutosavedWork() throws Exception {
    Path file = tmp.resolve("work.json");
    codec.save(Workflow.of(DemoGraphs.sample()), file);
    fx(() -> studio.openPath(file));
    fx(() -> studio.document().execute(new SetTitle(id("math"), "unsaved idea")));
    fx(() -> studio.autosaveNow());
    studio.flushAutosave();
    Path own = fx(() -> studio.recovery().file());
    assertTrue(Files.isRegularFile(own), "the recovery copy is written");

    // the process dies: its recovery file stays, owned by a process that no longer runs
    Path orphan = own.resolveSibling("session-999999999.json");
    Files.copy(own, orphan);

    dialogs.recoveryAnswers.add(true);
    StudioWindow second = openWindow(config());
    try {
      assertTrue(dialogs.asked.stream().anyMatch(a -> a.startsWith("recovery work.json")), dialogs.asked.toString());
      Graph restored = fx(() -> second.document().graph());
      assertEquals("unsaved idea", restored.require(id("math")).title());
      assertTrue(fx(() -> second.document().isDirty()), "restored work still needs saving");
      assertEquals(file, fx(() -> second.document().file()), "and it knows its file");
      assertFalse(Files.exists(orphan), "the recovery file is taken");
    } finally {
      fx(() -> {
        second.document().load(Workflow.of(Graph.empty()), null, true);
        second.quit();
      });
    }
    // a clean exit leaves no recovery file behind
    fx(() -> {
      studio.document().load(Workflow.of(Graph.empty()), null, true);
      studio.quit();
    });
    assertFalse(Files.exists(own));
    studio = null;
  }
}
