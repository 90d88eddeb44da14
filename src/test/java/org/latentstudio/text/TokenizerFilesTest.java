package org.latentstudio.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading tokenizer folders: small vocabularies work, broken ones fail with a message that says what to fix. */
class TokenizerFilesTest {
  @TempDir
  Path tmp;

  @Test
  void smallVocabularyWithItsOwnSpecialIds() throws Exception {
    ClipTokenizer t = ClipTokenizer.load(TinyVocab.write(tmp, List.of("c a", "ca t</w>")));
    assertEquals(256 * 2 + 2 + 2, t.vocabSize());
    assertEquals(514, t.bos());
    assertEquals(515, t.eos());
    int cat = 513;
    assertArrayEquals(new int[] {cat, cat, TinyVocab.id('d'), TinyVocab.id('o'), TinyVocab.endId('g'), t.eos()},
        t.encode("cat CAT dog <|endoftext|>"));
  }

  @Test
  void missingFolder() {
    String message = failure(tmp.resolve("nowhere"));
    assertTrue(message.contains("tokenizer folder " + tmp.resolve("nowhere") + " does not exist"), message);
  }

  @Test
  void missingVocabNamesTheLayout() throws IOException {
    Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\n");
    String message = failure(tmp);
    assertTrue(message.startsWith("vocab.json is missing in " + tmp), message);
    assertTrue(message.contains("needs vocab.json and merges.txt"), message);
  }

  @Test
  void missingMerges() throws IOException {
    TinyVocab.write(tmp, List.of());
    Files.delete(tmp.resolve("merges.txt"));
    assertTrue(failure(tmp).startsWith("merges.txt is missing in " + tmp));
  }

  @Test
  void vocabThatIsNotJson() throws IOException {
    TinyVocab.write(tmp, List.of());
    Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 1,");
    assertTrue(failure(tmp).contains("vocab.json is not valid JSON"), failure(tmp));
  }

  @Test
  void vocabThatIsNotAnObject() throws IOException {
    TinyVocab.write(tmp, List.of());
    Files.writeString(tmp.resolve("vocab.json"), "[1, 2]");
    assertTrue(failure(tmp).contains("expected a JSON object of token to id"), failure(tmp));
  }

  @Test
  void idThatIsNotANumber() throws IOException {
    TinyVocab.write(tmp, List.of());
    Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 0,\n\"b\": \"one\"}");
    String message = failure(tmp);
    assertTrue(message.contains("the id of token \"b\" (line 2) is not a whole number"), message);
  }

  @Test
  void mergeLineWithoutTwoTokens() throws IOException {
    TinyVocab.write(tmp, List.of());
    Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\nc a\nc a t\n");
    String message = failure(tmp);
    assertTrue(message.contains("merges.txt line 3: expected two tokens separated by one space, found \"c a t\""),
        message);
  }

  @Test
  void mergeOfUnknownTokens() throws IOException {
    TinyVocab.write(tmp, TinyVocab.vocab(List.of()), List.of("c a"));
    String message = failure(tmp);
    assertTrue(message.contains("merge 1 of merges.txt (\"c a\") needs the token \"ca\", which vocab.json lacks"),
        message);
  }

  @Test
  void missingByteSymbol() throws IOException {
    Map<String, Integer> vocab = TinyVocab.vocab(List.of());
    vocab.remove("z</w>");
    TinyVocab.write(tmp, vocab, List.of());
    String message = failure(tmp);
    assertTrue(message.contains("lacks the byte-level token \"z</w>\" (byte 122)"), message);
  }

  @Test
  void missingSpecialToken() throws IOException {
    Map<String, Integer> vocab = TinyVocab.vocab(List.of());
    vocab.remove("<|startoftext|>");
    TinyVocab.write(tmp, vocab, List.of());
    String message = failure(tmp);
    assertTrue(message.contains("has no <|startoftext|> token"), message);
  }

  private static String failure(Path dir) {
    return assertThrows(TokenizerFormatException.class, () -> ClipTokenizer.load(dir)).getMessage();
  }
}
