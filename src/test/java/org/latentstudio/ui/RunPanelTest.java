package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.image.PngText;
import org.latentstudio.ui.canvas.NodeRunState;
import org.latentstudio.ui.run.RunEntry;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Running from the studio with stand-in nodes: progress on the node and in the toolbar with it/s, the live
 * preview, the gallery, cache marks, cancelling within a step, and errors shown on the node and in the panel.
 */
class RunPanelTest extends StudioTestBase {

  static Graph pipeline(long steps, long stepMs) {
    return Graph.empty()
        .withNode(DemoGraphs.node("loader", "TestCheckpointLoader", 40, 40, 240, 0, Map.of("ckpt_name", "shapes")))
        .withNode(DemoGraphs.node("sampler", "TestSampler", 330, 40, 280, 0,
            Map.of("seed", 7L, "seed.after_run", "fixed", "steps", steps, "step_ms", stepMs)))
        .withNode(DemoGraphs.node("save", "TestSaveImage", 660, 40, 240, 0, Map.of("filename_prefix", "t")))
        .withLink(Link.of("loader", "MODEL", "sampler", "model"))
        .withLink(Link.of("sampler", "IMAGE", "save", "images"));
  }

  @Test
  void ctrlEnterRunsAndShowsProgressPreviewAndTheFinishedImage() throws Exception {
    load(pipeline(40, 40));
    robot.clickOn(emptySpot());
    robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL);
    // progress on the running node and in the toolbar, with the rate
    waitUntil("a progress step on the sampler", () -> {
      NodeRunState s = canvas().runState(id("sampler"));
      return s.phase() == NodeRunState.Phase.RUNNING && s.step() >= 3;
    });
    assertTrue(fx(() -> view("sampler").badgeText()).matches("\\d+/40"), fx(() -> view("sampler").badgeText()));
    waitUntil("the rate in the toolbar", () -> studio.runs().progressTextProperty().get().contains("it/s"));
    assertTrue(fx(() -> studio.runs().progressProperty().get()) > 0);
    assertEquals(RunEntry.Status.RUNNING, fx(() -> studio.runs().entries().get(0).status()));
    // the live preview
    waitUntil("a live preview", () -> studio.previewPanel().view().getImage() != null);
    assertEquals(16.0, fx(() -> studio.previewPanel().view().getImage().getWidth()));
    // then the final picture in the gallery and on disk, with the workflow inside
    waitUntil("the end of the run", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.SUCCEEDED, fx(() -> studio.runs().entries().get(0).status()));
    assertEquals(1, fx(() -> studio.gallery().list().getItems().size()));
    var item = fx(() -> studio.gallery().list().getItems().get(0));
    assertNotNull(item.file());
    assertTrue(Files.isRegularFile(item.file()));
    assertTrue(PngText.read(item.file()).get("workflow").contains("TestSampler"));
    // the final image replaces the preview; coalesced events may land a pulse after the run is marked finished
    waitUntil("the final image in the preview panel",
        () -> studio.previewPanel().view().getImage().getWidth() == 64.0);
    assertEquals(NodeRunState.Phase.DONE, fx(() -> canvas().runState(id("sampler")).phase()));
    assertNotNull(fx(() -> view("save").resultImage()), "the save node shows its picture");

    // click it to see it large; the other action opens its folder
    robot.clickOn(robot.lookup("#gallery").lookup(".list-cell").nth(0).queryAs(javafx.scene.Node.class));
    waitUntil("the viewer", () -> studio.imageViewer() != null && studio.imageViewer().stage().isShowing());
    robot.type(KeyCode.ESCAPE);
    waitUntil("Escape to close the viewer", () -> !studio.imageViewer().stage().isShowing());
    fx(() -> studio.gallery().list().getSelectionModel().select(0));
    robot.clickOn("#gallery-open-folder");
    waitUntil("the folder", () -> !desktop.opened.isEmpty());
    assertEquals(item.file().getParent().toAbsolutePath(), desktop.opened.get(0));

    // a second run of the same graph comes from the cache, and says so on the nodes
    fx(() -> studio.run());
    waitUntil("the second run", () -> studio.runs().entries().size() == 2 && studio.runs().entries().get(1).isFinished());
    assertEquals(NodeRunState.Phase.CACHED, fx(() -> canvas().runState(id("sampler")).phase()));
    assertTrue(fx(() -> view("sampler").badgeText()).contains("cached"));
    assertEquals(1, nodes.samplerRuns.get(), "the sampler ran once");
  }

  @Test
  void cancelStopsTheRunWithinOneSamplerStep() throws Exception {
    nodes.samplerStarted = new CountDownLatch(1);
    load(pipeline(1000, 20));
    robot.clickOn("#run-button");
    assertTrue(nodes.samplerStarted.await(20, TimeUnit.SECONDS));
    waitUntil("some steps", () -> canvas().runState(id("sampler")).step() >= 2);
    robot.clickOn("#cancel-button");
    int atCancel = nodes.samplerSteps.get();
    waitUntil("the cancelled run", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.CANCELLED, fx(() -> studio.runs().entries().get(0).status()));
    int extra = nodes.samplerSteps.get() - atCancel;
    assertTrue(extra <= 1, "the sampler stopped within one step, but took " + extra + " more");
    assertNotEquals(NodeRunState.Phase.RUNNING, fx(() -> canvas().runState(id("sampler")).phase()));
    assertTrue(fx(() -> studio.gallery().list().getItems().isEmpty()));
  }

  @Test
  void aFailingNodeTurnsRedWithItsMessageOnTheNodeAndInThePanel() {
    Graph g = Graph.empty()
        .withNode(DemoGraphs.node("boom", "Boom", 40, 40, 220, 0, Map.of()))
        .withNode(DemoGraphs.node("show", "ShowValue", 330, 40, 220, 0, Map.of()))
        .withLink(Link.of("boom", "INT", "show", "value"));
    load(g);
    fx(() -> studio.run());
    waitUntil("the failure", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.FAILED, fx(() -> studio.runs().entries().get(0).status()));
    assertEquals(NodeRunState.Phase.FAILED, fx(() -> canvas().runState(id("boom")).phase()));
    assertTrue(fx(() -> view("boom").getPseudoClassStates().toString()).contains("failed"));
    assertTrue(fx(() -> view("boom").errorMessage()).contains("the model file is missing"));
    List<String> problems = fx(() -> studio.problemsPanel().list().getItems().stream()
        .map(p -> p.heading() + ": " + p.message()).toList());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("boom") && problems.get(0).contains("the model file is missing"), problems.get(0));
    // clicking the problem brings the node into view and selects it
    fx(() -> canvas().clearSelection());
    robot.clickOn(robot.lookup("#problems-list").lookup(".list-cell").nth(0).queryAs(javafx.scene.Node.class));
    waitUntil("the node selected", () -> canvas().selection().contains(id("boom")));
  }

  @Test
  void aGraphThatCannotRunMarksEveryNodeConcerned() {
    Graph g = Graph.empty()
        .withNode(DemoGraphs.node("show", "ShowValue", 40, 40, 220, 0, Map.of()))
        .withNode(DemoGraphs.node("save", "TestSaveImage", 330, 40, 220, 0, Map.of()));
    load(g);
    fx(() -> studio.run());
    waitUntil("the refusal", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.INVALID, fx(() -> studio.runs().entries().get(0).status()));
    assertTrue(fx(() -> view("show").errorMessage()).contains("not connected"));
    assertTrue(fx(() -> view("save").errorMessage()).contains("not connected"));
    assertEquals(2, fx(() -> studio.problemsPanel().list().getItems().size()));
  }

  @Test
  void runningShowsValuesOnTheNodesAndRandomizesSeedsAfterQueueing() {
    Graph g = Graph.empty()
        .withNode(DemoGraphs.node("n", "PrimitiveInt", 40, 40, 220, 0, Map.of("value", 20L)))
        .withNode(DemoGraphs.node("m", "IntMath", 300, 40, 240, 0, Map.of("b", 22L, "operation", "add")))
        .withNode(DemoGraphs.node("show", "ShowValue", 600, 40, 220, 0, Map.of()))
        .withNode(DemoGraphs.node("sampler", "TestSampler", 40, 300, 280, 0, Map.of("seed", 5L, "steps", 1L)))
        .withLink(Link.of("n", "INT", "m", "a"))
        .withLink(Link.of("m", "INT", "show", "value"));
    load(g);
    fx(() -> studio.run());
    waitUntil("the run", () -> studio.runs().entries().get(0).isFinished());
    assertEquals("42", fx(() -> view("show").resultText()));
    Object seed = graph().require(id("sampler")).widgets().get("seed");
    assertNotEquals(5L, seed, "a seed set to randomize changes after the run is queued");
    fx(() -> studio.document().undo());
    assertEquals(5L, graph().require(id("sampler")).widgets().get("seed"), "and that change undoes like any edit");
  }

  @Test
  void ctrlEnterRunsEvenWhileTypingAPrompt() {
    Graph g = Graph.empty()
        .withNode(DemoGraphs.node("text", "PrimitiveString", 40, 40, 260, 0, Map.of("value", "a cat")))
        .withNode(DemoGraphs.node("show", "ShowValue", 360, 40, 220, 0, Map.of()))
        .withLink(Link.of("text", "STRING", "show", "value"));
    load(g);
    var box = fx(() -> {
      var w = view("text").widget("value");
      return w.localToScreen(w.getBoundsInLocal());
    });
    robot.clickOn(new javafx.geometry.Point2D(box.getCenterX(), box.getCenterY()));
    waitUntil("the text box", () -> canvas().view(id("text")).widget("value").isEditing());
    robot.write(" and a dog");
    robot.press(KeyCode.CONTROL).type(KeyCode.ENTER).release(KeyCode.CONTROL);
    waitUntil("the run", () -> !studio.runs().entries().isEmpty() && studio.runs().entries().get(0).isFinished());
    assertEquals("a cat and a dog", fx(() -> view("show").resultText()), "the run has the text as typed");
    assertEquals("a cat and a dog", graph().require(id("text")).widgets().get("value"), "no new line was typed");
  }

  @Test
  void notificationsPopUpWithoutDisturbingTheRun() {
    fx(() -> {
      studio.document().load(org.latentstudio.io.Workflow.of(Graph.empty()), null, true);
      studio.stage().close();
    });
    studio = openWindow(new StudioConfig(nodes.registry(), executor, tmp.resolve("user"), tmp.resolve("output"), null,
        models(), w -> dialogs, desktop, 1, 0, true));
    load(pipeline(2, 1));
    fx(() -> studio.run());
    waitUntil("the run", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.SUCCEEDED, fx(() -> studio.runs().entries().get(0).status()));
    assertTrue(studio.statusText().contains("finished"), studio.statusText());
  }

  @Test
  void theSeedControlMenuSetsFixed() {
    load(Graph.empty().withNode(DemoGraphs.node("sampler", "TestSampler", 40, 40, 280, 0,
        Map.of("seed", 5L, "steps", 1L))));
    var p = fx(() -> {
      var w = view("sampler").widget("seed");
      var b = w.localToScreen(w.getBoundsInLocal());
      return new javafx.geometry.Point2D(b.getMaxX() - 12, b.getCenterY());
    });
    robot.clickOn(p);
    robot.clickOn("Fixed");
    waitUntil("fixed", () -> "fixed".equals(studio.document().graph().require(id("sampler")).widgets().get("seed.after_run")));
    fx(() -> studio.run());
    waitUntil("the run", () -> studio.runs().entries().get(0).isFinished());
    assertEquals(5L, graph().require(id("sampler")).widgets().get("seed"));
    WaitForAsyncUtils.waitForFxEvents();
    robot.drag(p, MouseButton.PRIMARY); // harmless: the badge does not scrub
    robot.drop();
  }
}
