package org.latentstudio.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.latentstudio.nodes.image.SaveImage;
import org.junit.jupiter.api.Test;

class SaveImageTest {
  @Test
  void workflowsWithAnyCharactersStayValidLatin1Json() throws Exception {
    String json = "{\"text\":\"a 🎨 palette, café, 中文\"}";
    String latin1 = SaveImage.latin1Json(json);
    assertTrue(latin1.chars().allMatch(c -> c <= 0xff), latin1);
    assertEquals(new ObjectMapper().readTree(json), new ObjectMapper().readTree(latin1));
  }

  /** The picture is readable by others as any saved file is, not private like a temporary file. */
  @Test
  void savedPicturesAreNotPrivate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    var img = org.latentstudio.image.RgbImage.fromBufferedImage(
        new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB));
    java.nio.file.Path file = org.latentstudio.nodes.image.SaveImage.saveNumbered(
        new org.latentstudio.nodes.image.FileNumbers(), dir, "pic", img, java.util.Map.of());
    var perms = java.nio.file.Files.getPosixFilePermissions(file);
    assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), perms.toString());
  }

  /**
   * The hidden file a picture is written to goes once the picture has its name; one left by a crashed process
   * (the same naming: stem, a process id, a number) is neither reused nor removed.
   */
  @Test
  void noTemporaryFileIsLeftAndAStaleOneIsNotTouched(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path stale = java.nio.file.Files.writeString(
        dir.resolve(".pic." + ProcessHandle.current().pid() + "-1.png.tmp"), "from a crashed save");
    var img = org.latentstudio.image.RgbImage.fromBufferedImage(
        new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB));
    var numbers = new org.latentstudio.nodes.image.FileNumbers();
    for (int i = 0; i < 3; i++) {
      SaveImage.saveNumbered(numbers, dir, "pic", img, java.util.Map.of());
    }
    try (var files = java.nio.file.Files.list(dir)) {
      assertEquals(java.util.List.of(".pic." + ProcessHandle.current().pid() + "-1.png.tmp", "pic_00001.png",
          "pic_00002.png", "pic_00003.png"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    assertEquals("from a crashed save", java.nio.file.Files.readString(stale));
  }
}
