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
}
