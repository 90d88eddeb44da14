package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latentstudio.app.AppContext;
import org.latentstudio.app.AppPaths;
import org.latentstudio.edit.SetWidget;
import org.latentstudio.image.PngText;
import org.latentstudio.ui.canvas.NodeRunState;
import org.latentstudio.ui.models.LibraryModelCatalog;
import org.latentstudio.ui.run.RunEntry;

/**
 * The studio on the real pipeline: the default graph ({@code graphs/txt2img.json}) with the real node catalog
 * and runtime. Running it needs the bundled model in {@code assets/models/shapes}; without it that test is
 * skipped with a message, while the error display is checked on a checkpoint that does not exist.
 */
class DefaultGraphTest extends StudioTestBase {
  private AppContext context;

  @Override
  protected StudioConfig config() {
    context = new AppContext();
    executor.close();
    executor = context.executor();
    return new StudioConfig(context.registry(), context.executor(), tmp.resolve("user"), tmp.resolve("output"),
        AppPaths.defaultWorkflow(), new LibraryModelCatalog(context.models()), w -> dialogs, desktop, 1, 0, false);
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  private static Path defaultGraph() {
    Path def = AppPaths.defaultWorkflow();
    assumeTrue(Files.isRegularFile(def), "graphs/txt2img.json is missing");
    return def;
  }

  @Test
  void theDefaultGraphOpensAtStartAsAnUntitledTemplate() {
    defaultGraph();
    assertTrue(graph().nodes().size() >= 6, "the default graph is open");
    assertTrue(fx(() -> studio.stage().getTitle()).startsWith("Untitled"), "Save never overwrites the template");
    assertTrue(graph().nodes().containsKey(id("sampler")));
  }

  @Test
  void runsTheDefaultGraphOnTheBundledModelWithPreviewAndFinalImage() throws Exception {
    defaultGraph();
    assumeTrue(Files.isRegularFile(AppPaths.home().resolve("assets/models/shapes/model_index.json")),
        "the bundled model assets/models/shapes is not there yet: the run test needs it");
    List<String> captions = new CopyOnWriteArrayList<>();
    fx(() -> studio.runs().previewCaptionProperty().addListener((o, was, is) -> captions.add(is)));
    fx(() -> studio.run());
    waitUntil("the run on the bundled model", 600, () -> studio.runs().entries().get(0).isFinished());
    RunEntry run = fx(() -> studio.runs().entries().get(0));
    assertEquals(RunEntry.Status.SUCCEEDED, run.status(), run.detail() + " / " + studio.runs().problems());
    assertTrue(captions.stream().anyMatch(c -> c.contains("step")), "live previews while sampling: " + captions);
    assertNotNull(fx(() -> studio.previewPanel().view().getImage()));
    var item = fx(() -> studio.gallery().list().getItems().get(0));
    assertTrue(Files.isRegularFile(item.file()));
    assertTrue(PngText.read(item.file()).get("latentstudio").contains("KSampler"), "the picture carries its workflow");
    assertEquals(NodeRunState.Phase.DONE, fx(() -> canvas().runState(id("save")).phase()));
    ReviewRenderTest.reviewSize(studio);
    ReviewRenderTest.snapshot(studio, "default-graph-after-run.png");
  }

  @Test
  void aMissingCheckpointFailsOnItsLoaderWithAReadableMessage() {
    defaultGraph();
    fx(() -> studio.document().execute(new SetWidget(id("checkpoint"), "path", "no-such-model")));
    fx(() -> studio.run());
    waitUntil("the failure", 120, () -> studio.runs().entries().get(0).isFinished());
    assertEquals(RunEntry.Status.FAILED, fx(() -> studio.runs().entries().get(0).status()));
    assertEquals(NodeRunState.Phase.FAILED, fx(() -> canvas().runState(id("checkpoint")).phase()));
    String message = fx(() -> view("checkpoint").errorMessage());
    assertTrue(message.contains("no-such-model"), message);
    assertTrue(fx(() -> studio.problemsPanel().list().getItems().get(0).message()).contains("no-such-model"));
  }
}
