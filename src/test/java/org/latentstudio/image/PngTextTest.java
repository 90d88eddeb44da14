package org.latentstudio.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngTextTest {
  @Test
  void picturesAndTextChunksRoundTripThroughTheJdkReader() throws Exception {
    byte[] rgb = new byte[37 * 23 * 3];
    new Random(3).nextBytes(rgb);
    RgbImage image = new RgbImage(37, 23, rgb);
    Map<String, String> text = new LinkedHashMap<>();
    text.put("workflow", "{\"version\": 2, \"note\": \"café\"}");
    text.put("unicode", "emoji 🎨 and 中文");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PngText.write(image, text, out);

    byte[] png = out.toByteArray();
    assertEquals(text, PngText.read(png));
    RgbImage back = RgbImage.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(png)));
    assertArrayEquals(rgb, back.rgb(), "every pixel survives the Paeth filter and deflate");
  }
}
