package org.latentstudio.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.latentstudio.testing.TestModels;

/**
 * Our own small vocabulary: the tiny parity model's tokenizer gives the prompt ids its diffusers reference
 * cases were made with ({@code src/test/resources/parity/cases.json}).
 */
class ParitySetTokenizerTest {
  @Test
  void promptIdsOfTheParityCases() throws Exception {
    JsonNode root = new ObjectMapper().readTree(TestModels.parity().resolve("cases.json").toFile());
    ClipTokenizer tokenizer = ClipTokenizer.load(TestModels.parity().resolve(root.get("model").textValue())
        .resolve("tokenizer"));
    assertEquals(829, tokenizer.bos());
    assertEquals(830, tokenizer.eos());
    int checked = 0;
    for (JsonNode c : root.get("cases")) {
      assertArrayEquals(ids(c.get("prompt_ids")), framed(tokenizer, c.get("prompt").textValue()), c.get("name")
          .textValue());
      if (c.hasNonNull("negative_prompt_ids")) {
        String negative = c.hasNonNull("negative_prompt") ? c.get("negative_prompt").textValue() : "";
        assertArrayEquals(ids(c.get("negative_prompt_ids")), framed(tokenizer, negative), c.get("name").textValue());
      }
      checked++;
    }
    assertEquals(root.get("cases").size(), checked);
  }

  private static int[] framed(ClipTokenizer tokenizer, String prompt) {
    int[] ids = tokenizer.encode(prompt);
    int[] framed = new int[ids.length + 2];
    framed[0] = tokenizer.bos();
    System.arraycopy(ids, 0, framed, 1, ids.length);
    framed[framed.length - 1] = tokenizer.eos();
    return framed;
  }

  private static int[] ids(JsonNode array) {
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = array.get(i).intValue();
    }
    return ids;
  }
}
