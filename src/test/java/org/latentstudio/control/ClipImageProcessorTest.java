package org.latentstudio.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.latentstudio.image.ClipImageProcessor;
import org.latentstudio.image.RgbImage;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;

/**
 * CLIPImageProcessor's preprocessing, as the Python reference (lsmodels.clip_vision, Pillow's own bicubic)
 * computed it for five pictures: square, wide, tall, already 224 and odd-sized. The 8-bit resize and crop must
 * be equal byte for byte (a filter with a = -0.75, no antialiasing or float rounding differs by several levels),
 * and the normalised tensor equal bit for bit.
 */
class ClipImageProcessorTest {
  @Test
  void resizeAndCropEqualPillow() throws Exception {
    Path dir = TestModels.control().resolve("clip_preprocess");
    JsonNode manifest = new ObjectMapper().readTree(TestModels.control().resolve("cases.json").toFile());
    assertEquals(5, manifest.get("clip_preprocess").size());
    for (JsonNode n : manifest.get("clip_preprocess")) {
      String name = n.asText();
      RgbImage img = RgbImage.fromBufferedImage(ImageIO.read(dir.resolve(name).toFile()));
      RgbImage expected = RgbImage.fromBufferedImage(ImageIO.read(dir.resolve(name.replace(".png", ".crop.png"))
          .toFile()));
      RgbImage crop = ClipImageProcessor.resizeAndCrop(img, 224);
      assertEquals(224, crop.width());
      assertArrayEquals(expected.rgb(), crop.rgb(), name + " (" + img.width() + "x" + img.height() + ")");
    }
  }

  @Test
  void pixelValuesEqualTheReference() throws Exception {
    Path dir = TestModels.control().resolve("clip_preprocess");
    RgbImage img = RgbImage.fromBufferedImage(ImageIO.read(dir.resolve("image_1_300x200.png").toFile()));
    Tensor expected = Npy.read(dir.resolve("image_1_300x200.npy"));
    Tensor actual = ClipImageProcessor.pixelValues(img, 224);
    assertArrayEquals(expected.data(), actual.data());
  }
}
