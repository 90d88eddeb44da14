package org.latentstudio.ui.canvas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.latentstudio.image.PngEncoder;
import org.latentstudio.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which dropped files become Load Image nodes and which open as workflows. */
class ExternalDropTest {
  @Test
  void picturesWithoutAWorkflowAreInputs(@TempDir Path dir) throws Exception {
    Path plain = dir.resolve("photo.png");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", plain.toFile());
    Path jpeg = dir.resolve("photo.JPG");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "jpg", jpeg.toFile());
    Path saved = dir.resolve("made-by-the-studio.png");
    try (var out = Files.newOutputStream(saved)) {
      PngEncoder.write(new RgbImage(1, 1, new byte[3]), Map.of("workflow", "{}"), out);
    }
    assertTrue(ExternalDrop.isPicture(plain) && !ExternalDrop.carriesWorkflow(plain));
    assertTrue(ExternalDrop.isPicture(jpeg) && !ExternalDrop.carriesWorkflow(jpeg));
    assertTrue(ExternalDrop.carriesWorkflow(saved), "a saved picture opens its workflow");
    assertFalse(ExternalDrop.isPicture(dir.resolve("graph.json")));
  }
}
