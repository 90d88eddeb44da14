package org.latentstudio.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Emphasis parsing against ComfyUI's own {@code token_weights} ({@code comfy_weights_reference.json}, from
 * {@code src/python/reference/tokenizer_reference.py}), and the square brackets ComfyUI does not have.
 */
class PromptWeightsTest {

  static Stream<Arguments> comfyCases() throws IOException {
    try (InputStream in = PromptWeightsTest.class.getResourceAsStream("/text/comfy_weights_reference.json")) {
      List<Arguments> cases = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        List<WeightedText> segments = new ArrayList<>();
        for (JsonNode s : c.get("segments")) {
          segments.add(new WeightedText(s.get(0).textValue(), s.get(1).doubleValue()));
        }
        cases.add(Arguments.of(c.get("prompt").textValue(), segments));
      }
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("comfyCases")
  void matchesComfyUi(String prompt, List<WeightedText> expected) {
    assertEquals(expected, PromptWeights.parse(prompt));
  }

  @Test
  void squareBracketsWeaken() {
    assertEquals(List.of(w("a ", 1.0), w("blurry", 1 / 1.1), w(" b", 1.0)), PromptWeights.parse("a [blurry] b"));
    assertEquals(List.of(w("x", 1 / 1.1 / 1.1)), PromptWeights.parse("[[x]]"));
  }

  @Test
  void bracketKindsNest() {
    assertEquals(List.of(w("a ", 1.1), w("b", 1.1 / 1.1)), PromptWeights.parse("(a [b])"));
    assertEquals(List.of(w("a:1.5", 1 / 1.1)), PromptWeights.parse("[a:1.5]"), "no explicit weight in [ ]");
  }

  @Test
  void escapedSquareBracketsAreText() {
    assertEquals(List.of(w("[a] ", 1.0), w("b", 1.1)), PromptWeights.parse("\\[a\\] (b)"));
    assertEquals(List.of(w("a\\b \\n", 1.0)), PromptWeights.parse("a\\b \\n"), "other backslashes stay");
  }

  @Test
  void mismatchedOrUnbalancedBracketsAreText() {
    assertEquals(List.of(w("(a]", 1.0)), PromptWeights.parse("(a]"));
    assertEquals(List.of(w("x ", 1.0), w("[a (b", 1.0)), PromptWeights.parse("x [a (b"));
    assertEquals(List.of(w("a] (b", 1.0)), PromptWeights.parse("a] (b"));
    assertEquals(List.of(w("\\", 1.0)), PromptWeights.parse("\\"));
    assertEquals(List.of(w("(", 1.0)), PromptWeights.parse("("));
    assertEquals(List.of(w(")", 1.0)), PromptWeights.parse(")"));
  }

  @Test
  void weightsThatAreNotPlainNumbersStayText() {
    assertEquals(List.of(w("a:nan", 1.1)), PromptWeights.parse("(a:nan)"));
    assertEquals(List.of(w("a:1.2.3", 1.1)), PromptWeights.parse("(a:1.2.3)"));
    assertEquals(List.of(w("a", 0.5)), PromptWeights.parse("(a:.5)"));
  }

  private static WeightedText w(String text, double weight) {
    return new WeightedText(text, weight);
  }
}
