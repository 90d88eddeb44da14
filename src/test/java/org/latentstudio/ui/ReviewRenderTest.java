package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.latentstudio.app.AppPaths;
import org.latentstudio.io.WorkflowCodec;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Renders the studio with a graph to a PNG under {@code target/ui-review/}, kept as a build artifact so the
 * look can be reviewed, and checks the picture is not blank.
 */
class ReviewRenderTest extends StudioTestBase {
  static final Path OUT = Path.of("target", "ui-review");

  /** The review pictures show the window at a common desktop size, larger than the headless test screen. */
  static void reviewSize(StudioWindow studio) {
    fx(() -> {
      studio.stage().setWidth(1600);
      studio.stage().setHeight(1000);
    });
    WaitForAsyncUtils.waitForFxEvents();
  }

  static Path snapshot(StudioWindow studio, String name) throws Exception {
    WritableImage img = fx(() -> studio.stage().getScene().snapshot(null));
    BufferedImage b = SwingFXUtils.fromFXImage(img, null);
    Files.createDirectories(OUT);
    Path file = OUT.resolve(name);
    ImageIO.write(b, "png", file.toFile());
    assertNotBlank(b);
    return file;
  }

  /** Not one flat colour: at least a few hundred distinct colours and real contrast. */
  static void assertNotBlank(BufferedImage b) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    int min = 255;
    int max = 0;
    for (int y = 0; y < b.getHeight(); y += 3) {
      for (int x = 0; x < b.getWidth(); x += 3) {
        int p = b.getRGB(x, y) & 0xffffff;
        colours.add(p);
        int lum = ((p >> 16) & 0xff) * 3 + ((p >> 8) & 0xff) * 6 + (p & 0xff);
        min = Math.min(min, lum / 10);
        max = Math.max(max, lum / 10);
      }
    }
    assertTrue(colours.size() > 200, "the picture looks blank: " + colours.size() + " colours");
    assertTrue(max - min > 100, "the picture has no contrast");
  }

  @Test
  void rendersTheDemoGraph() throws Exception {
    reviewSize(studio);
    load(DemoGraphs.sample());
    fx(() -> canvas().fitToView());
    WaitForAsyncUtils.waitForFxEvents();
    Path file = snapshot(studio, "demo-graph.png");
    assertTrue(Files.size(file) > 10_000);
  }

  @Test
  void rendersTheShortcutsWindow() throws Exception {
    javafx.stage.Stage help = fx(() -> studio.showShortcuts());
    WaitForAsyncUtils.waitForFxEvents();
    WritableImage img = fx(() -> help.getScene().snapshot(null));
    BufferedImage b = SwingFXUtils.fromFXImage(img, null);
    Files.createDirectories(OUT);
    ImageIO.write(b, "png", OUT.resolve("shortcuts.png").toFile());
    assertTrue(b.getWidth() > 300);
    robot.type(javafx.scene.input.KeyCode.ESCAPE);
    waitUntil("Escape to close the list", () -> !help.isShowing());
  }

  @Test
  void rendersTheDefaultGraph() throws Exception {
    Path def = AppPaths.defaultWorkflow();
    assumeTrue(Files.isRegularFile(def), "graphs/txt2img.json is not on this branch yet (the pipeline issue adds it)");
    var wf = new WorkflowCodec().read(def);
    reviewSize(studio);
    fx(() -> {
      studio.document().load(wf, null, true);
      canvas().fitToView();
    });
    WaitForAsyncUtils.waitForFxEvents();
    snapshot(studio, "default-graph.png");
  }
}
