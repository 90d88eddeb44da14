package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;
import org.latentstudio.interop.comfy.ComfyWorkflowReader;
import org.latentstudio.ui.models.ModelCatalog;
import org.latentstudio.ui.models.ModelEntry;

/**
 * ComfyUI files in the studio: a workflow or a picture ComfyUI saved, dropped on the canvas, opens as the graph it
 * was (untitled, so Save cannot overwrite it in our format); a picture with only the API prompt opens too; what
 * the import noticed goes to the Problems tab; Save As ComfyUI Workflow writes a file ComfyUI opens.
 */
class ComfyFilesTest extends StudioTestBase {
  @Override
  protected ModelCatalog models() {
    return () -> List.of(new ModelEntry("checkpoint", "shapes", Path.of("shapes")));
  }

  private Path comfyPng(String name, Map<String, String> chunks) throws Exception {
    Path png = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(png)) {
      PngText.write(new RgbImage(2, 2, new byte[12]), chunks, out);
    }
    return png;
  }

  /**
   * On the canvas, a picture that carries no workflow becomes a Load Image node where it lands; one that carries
   * a ComfyUI prompt (even without the UI workflow) opens as that graph instead.
   */
  @Test
  void aPlainPictureDroppedOnTheCanvasIsALoadImageNodeAndAComfyPictureOpens() throws Exception {
    Path apiOnly = comfyPng("api-only.png", Map.of("prompt", resource("txt2img.api.json")));
    fx(() -> {
      canvas().dropFiles(List.of(apiOnly), new javafx.geometry.Point2D(40, 40));
      return null;
    });
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertTrue(fx(() -> studio.stage().getTitle()).contains("api-only.png"), () -> "opened as a workflow, not "
        + fx(() -> studio.stage().getTitle()));
    assertTrue(graph().nodeList().stream().anyMatch(n -> n.type().equals("KSampler")));

    Path plain = comfyPng("photo.png", Map.of());
    int before = graph().nodes().size();
    fx(() -> {
      canvas().dropFiles(List.of(plain), new javafx.geometry.Point2D(40, 40));
      return null;
    });
    assertEquals(before + 1, graph().nodes().size());
    var loader = graph().nodeList().stream().filter(n -> n.type().equals("LoadImage")
        && plain.toAbsolutePath().toString().equals(n.widgets().get("image"))).findFirst();
    assertTrue(loader.isPresent(), "a Load Image node with the picture chosen");
  }

  private static String resource(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/comfy", name));
  }

  @Test
  void aComfyPictureDroppedOnTheCanvasOpensItsWorkflow() throws Exception {
    Path png = comfyPng("ComfyUI_00001_.png", Map.of("prompt", resource("txt2img.api.json"),
        "workflow", resource("txt2img.ui.json")));
    fx(() -> {
      studio.openDropped(List.of(png));
      return null;
    });
    assertEquals(13, graph().nodes().size(), "the UI workflow, not the prompt: notes, reroutes and all");
    assertEquals(NodeMode.BYPASSED, graph().require(NodeId.of("15")).mode());
    assertTrue(fx(() -> studio.stage().getTitle()).startsWith("*from ComfyUI_00001_.png"), fx(() -> studio.stage()
        .getTitle()));
    assertNull(fx(() -> studio.document().file()), "untitled: Save asks where");
    assertTrue(fx(studio::statusText).contains("Imported the ComfyUI workflow inside ComfyUI_00001_.png"));
    assertTrue(fx(() -> studio.runs().problems().isEmpty()), "shapes is in the models folders");
  }

  @Test
  void aPictureWithOnlyThePromptAndAMissingModel() throws Exception {
    Path png = comfyPng("api.png", Map.of("prompt", resource("img2img.api.json")
        .replace("\"shapes\"", "\"v1-5-pruned-emaonly.safetensors\"")));
    fx(() -> {
      studio.openDropped(List.of(png));
      return null;
    });
    assertEquals(8, graph().nodes().size());
    assertTrue(fx(studio::statusText).contains("ComfyUI API prompt"), fx(studio::statusText));
    var problems = fx(() -> List.copyOf(studio.runs().problems()));
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(NodeId.of("4"), problems.get(0).node());
    assertTrue(problems.get(0).message().contains("v1-5-pruned-emaonly.safetensors"), problems.get(0).message());
  }

  @Test
  void saveAsComfyWorkflowWritesWhatComfyOpensAndKeepsTheDocument() throws Exception {
    Path json = tmp.resolve("mine.json");
    Files.copy(Path.of("graphs/txt2img.json"), json);
    fx(() -> {
      studio.openPath(json);
      return null;
    });
    Path out = tmp.resolve("for-comfy.json");
    dialogs.files.add(out);
    assertTrue(fx(studio::exportComfy));
    assertEquals("save mine-comfyui.json", dialogs.asked.get(dialogs.asked.size() - 1));
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
    assertTrue(ComfyWorkflowReader.looks(tree));
    assertEquals(7, tree.path("nodes").size());
    assertEquals(json, fx(() -> studio.document().file()), "the document keeps its own file");
    fx(() -> {
      studio.openPath(out);
      return null;
    });
    assertEquals(new org.latentstudio.io.WorkflowCodec().read(Path.of("graphs/txt2img.json")).graph(), graph(),
        "and opening it gives the same graph");
  }
}
