package org.latentstudio.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tokenizer against ids made by OpenAI CLIP's own simple_tokenizer with ftfy, over the real SD1.x
 * vocabulary ({@code clip_reference.json}, from {@code src/python/reference/tokenizer_reference.py}).
 */
class ClipReferenceTest {

  record Case(String prompt, int[] ids) {}

  static List<Case> cases() throws IOException {
    try (InputStream in = ClipReferenceTest.class.getResourceAsStream("/text/clip_reference.json")) {
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        int[] ids = new int[c.get("ids").size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = c.get("ids").get(i).intValue();
        }
        cases.add(new Case(c.get("prompt").textValue(), ids));
      }
      return cases;
    }
  }

  static Stream<Arguments> prompts() throws IOException {
    return cases().stream().map(c -> Arguments.of(Named.of(abbreviate(c.prompt()), c)));
  }

  @ParameterizedTest
  @MethodSource("prompts")
  void matchesClipSimpleTokenizer(Case c) throws TokenizerFormatException {
    ClipTokenizer tokenizer = SharedClipVocab.tokenizer();
    int[] ids = tokenizer.encode(c.prompt());
    int[] framed = new int[ids.length + 2];
    framed[0] = tokenizer.bos();
    System.arraycopy(ids, 0, framed, 1, ids.length);
    framed[framed.length - 1] = tokenizer.eos();
    assertArrayEquals(c.ids(), framed, () -> "prompt " + c.prompt().codePoints()
        .mapToObj(cp -> cp < 0x20 || cp > 0x7E ? String.format("\\u%04x", cp) : Character.toString(cp))
        .reduce("", String::concat));
  }

  @Test
  void theReferenceCoversEnough() throws IOException {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 30, "at least 30 reference prompts");
    assertTrue(cases.stream().anyMatch(c -> c.ids().length > 300), "a prompt of hundreds of tokens");
  }

  @Test
  void specialTokensComeFromTheVocabulary() throws TokenizerFormatException {
    ClipTokenizer tokenizer = SharedClipVocab.tokenizer();
    assertEquals(49406, tokenizer.bos());
    assertEquals(49407, tokenizer.eos());
    assertEquals(49408, tokenizer.vocabSize());
  }

  private static String abbreviate(String prompt) {
    String oneLine = prompt.replaceAll("\\p{Cntrl}", "\u00b7");
    return oneLine.length() <= 60 ? "\"" + oneLine + "\"" : "\"" + oneLine.substring(0, 57) + "...\"";
  }
}
