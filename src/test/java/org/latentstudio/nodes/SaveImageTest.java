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
}
