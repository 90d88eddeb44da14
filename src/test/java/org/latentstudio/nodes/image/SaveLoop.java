package org.latentstudio.nodes.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.latentstudio.image.RgbImage;

/** Saves pictures the way the Save Image node does, for ever: what {@code CrashSafetyTest} kills. */
public final class SaveLoop {
  private SaveLoop() {}

  public static void run(Path dir) throws Exception {
    byte[] rgb = new byte[1024 * 1024 * 3];
    new Random(1).nextBytes(rgb); // noise compresses badly: each picture takes a while to write
    RgbImage picture = new RgbImage(1024, 1024, rgb);
    Files.createDirectories(dir);
    FileNumbers numbers = new FileNumbers();
    System.out.println("saving");
    System.out.flush();
    while (true) {
      SaveImage.saveNumbered(numbers, dir, "pic", picture, Map.of("workflow", "{}"));
    }
  }
}
