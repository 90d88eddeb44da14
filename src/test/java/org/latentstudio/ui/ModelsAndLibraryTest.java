package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.ui.models.LibraryModelCatalog;
import org.latentstudio.ui.models.ModelCatalog;
import org.latentstudio.ui.models.ModelEntry;
import org.testfx.util.WaitForAsyncUtils;

/** The node library and the models panel come from the catalog and the model folders, and add nodes. */
class ModelsAndLibraryTest extends StudioTestBase {

  @Override
  protected ModelCatalog models() {
    return () -> List.of(new ModelEntry("checkpoint", "shapes", Path.of("/models/shapes")),
        new ModelEntry("lora", "ink.safetensors", Path.of("/models/loras/ink.safetensors")));
  }

  @Test
  void theLibraryListsTheCatalogByCategoryAndAddsOnDoubleClick() {
    load(Graph.empty());
    int types = fx(() -> {
      int n = 0;
      for (TreeItem<Object> cat : studio.library().tree().getRoot().getChildren()) {
        n += cat.getChildren().size();
      }
      return n;
    });
    assertEquals(nodes.registry().schemas().size(), types, "every node type is in the library");
    robot.clickOn("#library-filter").write("float math");
    WaitForAsyncUtils.waitForFxEvents();
    robot.doubleClickOn("Float Math");
    waitUntil("the node", () -> studio.document().graph().nodes().size() == 1);
    assertEquals("FloatMath", graph().nodeList().iterator().next().type());
    // Enter on the selected entry adds too
    robot.clickOn("#library-filter").eraseText(10).write("note");
    robot.clickOn("Note").type(KeyCode.ENTER);
    waitUntil("the note", () -> studio.document().graph().nodes().size() == 2);
  }

  /** At its narrowest the library still scrolls only up and down: long names end in "..." instead. */
  @Test
  void longNamesDoNotMakeTheLibraryScrollSideways() {
    load(Graph.empty());
    fx(() -> {
      for (javafx.scene.Node n : studio.library().getScene().getRoot().lookupAll(".split-pane")) {
        javafx.scene.control.SplitPane pane = (javafx.scene.control.SplitPane) n;
        if (pane.getItems().size() == 3) {
          pane.setDividerPositions(0, 0.78); // the left panel at its minimum width
        }
      }
      return null;
    });
    WaitForAsyncUtils.waitForFxEvents();
    var tree = studio.library().tree();
    double width = fx(() -> tree.getWidth());
    assertTrue(width < 230, "the library should be narrower than its longest names here: " + width);
    boolean sideways = fx(() -> tree.lookupAll(".scroll-bar").stream()
        .map(javafx.scene.control.ScrollBar.class::cast)
        .anyMatch(b -> b.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && b.isVisible()));
    assertFalse(sideways, "a sideways scroll bar under the node library at " + width + " px");
  }

  @Test
  void aModelMakesItsLoaderNodeWithTheModelChosen() {
    load(Graph.empty());
    assertEquals(2, fx(() -> studio.modelsPanel().list().getItems().size()));
    fx(() -> studio.modelsPanel().list().getSelectionModel().select(0));
    // what a drop of the model on the canvas does
    fx(() -> canvas().addLoaderFor("checkpoint", "shapes", new javafx.geometry.Point2D(100, 100)));
    Node loader = graph().nodeList().iterator().next();
    assertEquals("CheckpointLoader", loader.type(), "the first loader in the catalog that takes checkpoints");
    assertEquals("shapes", loader.widgets().get("path"));
    assertEquals(100, loader.position().x(), 1e-9);
    // a LoRA gets the first loader that takes LoRAs, the one with the CLIP input
    Node lora = fx(() -> canvas().addLoaderFor("lora", "ink.safetensors", new javafx.geometry.Point2D(0, 400)))
        .orElseThrow();
    assertEquals("LoraLoader", lora.type());
    assertEquals("ink.safetensors", lora.widgets().get("lora_name"));
    // a kind no installed loader takes says so
    fx(() -> canvas().addLoaderFor("upscale_model", "4x.pth", new javafx.geometry.Point2D(0, 0)));
    assertEquals(2, graph().nodes().size());
    assertTrue(studio.statusText().contains("No loader node for upscale_model"), studio.statusText());
  }

  @Test
  void theModelWidgetOffersTheModelsFound() {
    load(Graph.empty().withNode(DemoGraphs.node("l", "TestCheckpointLoader", 40, 40, 260, 0,
        java.util.Map.of("ckpt_name", ""))));
    var w = fx(() -> view("l").widget("ckpt_name"));
    robot.clickOn(w);
    // the entry in the pop-up menu (the Models tab lists "shapes" too)
    javafx.scene.Node item = robot.lookup(n -> n instanceof javafx.scene.control.Labeled l
        && "shapes".equals(l.getText()) && n.getScene() != studio.stage().getScene()).query();
    robot.clickOn(item);
    waitUntil("the choice", () -> "shapes".equals(studio.document().graph().require(id("l")).widgets().get("ckpt_name")));
  }

  @Test
  void theRuntimeLibraryFeedsTheCatalog(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("shapes"));
    Files.writeString(dir.resolve("shapes/model_index.json"), "{}");
    Files.createDirectories(dir.resolve("loras"));
    Files.writeString(dir.resolve("loras/ink.safetensors"), "");
    Files.createDirectories(dir.resolve("controlnet/canny-diffusers"));
    Files.writeString(dir.resolve("controlnet/control_v11p_sd15_canny.safetensors"), "");
    Files.createDirectories(dir.resolve("ipadapter"));
    Files.writeString(dir.resolve("ipadapter/ip-adapter_sd15.safetensors"), "");
    Files.createDirectories(dir.resolve("clip_vision/image_encoder"));
    List<ModelEntry> found = new LibraryModelCatalog(new ModelLibrary(List.of(dir))).scan();
    assertEquals(List.of("checkpoint shapes", "lora ink.safetensors", "controlnet canny-diffusers",
        "controlnet control_v11p_sd15_canny.safetensors", "ipadapter ip-adapter_sd15.safetensors",
        "clip_vision image_encoder"), found.stream().map(e -> e.kind() + " " + e.name()).toList());
    var registry = org.latentstudio.nodes.BuiltinNodes.registry();
    for (String[] kind : new String[][] {{"CheckpointLoader", "checkpoint"}, {"ControlNetLoader", "controlnet"},
        {"IPAdapterModelLoader", "ipadapter"}, {"CLIPVisionLoader", "clip_vision"}}) {
      NodeSchema loader = registry.schema(kind[0]).orElseThrow();
      assertTrue(loader.inputs().stream().anyMatch(i -> kind[1].equals(i.fileKind())),
          "the real " + kind[0] + " takes the kind the catalog reports");
    }
  }
}
