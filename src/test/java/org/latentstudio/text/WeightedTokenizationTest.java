package org.latentstudio.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClipTokenizer#tokenizeWeighted}: 77-id chunks with per-token weights. A byte-level vocabulary without
 * merges makes token counts easy to see: every character of a word is one token.
 */
class WeightedTokenizationTest {
  private static final int N = ClipTokenizer.CHUNK_LENGTH;
  private static ClipTokenizer bytes;

  @BeforeAll
  static void load(@TempDir Path tmp) throws Exception {
    bytes = ClipTokenizer.load(TinyVocab.write(tmp, List.of()));
  }

  @Test
  void emptyPromptIsOneChunkOfBosAndEos() {
    TokenizedPrompt p = bytes.tokenizeWeighted("");
    assertEquals(1, p.chunks().size());
    int[] expected = new int[N];
    Arrays.fill(expected, bytes.eos());
    expected[0] = bytes.bos();
    assertArrayEquals(expected, p.chunks().get(0).ids());
    assertArrayEquals(ones(), p.chunks().get(0).weights());
  }

  @Test
  void weightsFollowTheirTokens() {
    TokenizedPrompt p = bytes.tokenizeWeighted("(ab:1.5) c [d]");
    int[] ids = p.chunks().get(0).ids();
    float[] weights = p.chunks().get(0).weights();
    assertArrayEquals(new int[] {bytes.bos(), TinyVocab.id('a'), TinyVocab.endId('b'), TinyVocab.endId('c'),
        TinyVocab.endId('d'), bytes.eos(), bytes.eos()}, Arrays.copyOf(ids, 7));
    assertArrayEquals(new float[] {1f, 1.5f, 1.5f, 1f, (float) (1 / 1.1), 1f, 1f}, Arrays.copyOf(weights, 7));
  }

  @Test
  void aShortWordThatDoesNotFitStartsTheNextChunk() {
    // 74 one-token words fill BOS + 74 ids; the 3-token word would need ids 76..78
    TokenizedPrompt p = bytes.tokenizeWeighted("x ".repeat(74) + "(abc)");
    assertEquals(2, p.chunks().size());
    int[] first = p.chunks().get(0).ids();
    assertEquals(TinyVocab.endId('x'), first[74]);
    assertEquals(bytes.eos(), first[75], "EOS right after the last word that fits");
    assertEquals(bytes.eos(), first[76], "then EOS padding");
    int[] second = p.chunks().get(1).ids();
    assertArrayEquals(new int[] {bytes.bos(), TinyVocab.id('a'), TinyVocab.id('b'), TinyVocab.endId('c'),
        bytes.eos()}, Arrays.copyOf(second, 5));
    float[] weights = p.chunks().get(1).weights();
    assertArrayEquals(new float[] {1f, 1.1f, 1.1f, 1.1f, 1f, 1f}, Arrays.copyOf(weights, 6));
  }

  @Test
  void aLongWordIsSplitAcrossChunks() {
    // 70 words, then 10 tokens: 5 fill the first chunk, 5 go on in the second
    TokenizedPrompt p = bytes.tokenizeWeighted("x ".repeat(70) + "abcdefghij");
    assertEquals(2, p.chunks().size());
    int[] first = p.chunks().get(0).ids();
    assertEquals(TinyVocab.id('e'), first[75]);
    assertEquals(bytes.eos(), first[76]);
    int[] second = p.chunks().get(1).ids();
    assertEquals(TinyVocab.id('f'), second[1]);
    assertEquals(TinyVocab.endId('j'), second[5]);
    assertEquals(bytes.eos(), second[6]);
  }

  @Test
  void exactly75TokensFitOneChunk() {
    TokenizedPrompt p = bytes.tokenizeWeighted("x ".repeat(75));
    assertEquals(1, p.chunks().size());
    assertEquals(bytes.eos(), p.chunks().get(0).ids()[76]);
    assertEquals(2, bytes.tokenizeWeighted("x ".repeat(76)).chunks().size());
  }

  @Test
  void hundredsOfTokensMakeEnoughChunks() {
    TokenizedPrompt p = bytes.tokenizeWeighted("xy ".repeat(200));
    assertEquals(6, p.chunks().size(), "37 two-token words fit a chunk: 200 words need 6");
    assertEquals(6 * N, p.ids().length);
    for (TokenizedPrompt.Chunk c : p.chunks()) {
      assertEquals(bytes.bos(), c.ids()[0]);
      assertEquals(bytes.eos(), c.ids()[N - 1]);
    }
  }

  @Test
  void unweightedPromptsMatchThePlainEncoding() throws TokenizerFormatException {
    ClipTokenizer clip = SharedClipVocab.tokenizer();
    String prompt = "a photo of a cat, highly detailed, &amp; \u201cquoted\u201d caf\u00e9 \uff21\uff22";
    int[] plain = clip.encode(prompt);
    int[] expected = new int[N];
    Arrays.fill(expected, clip.eos());
    expected[0] = clip.bos();
    System.arraycopy(plain, 0, expected, 1, plain.length);
    TokenizedPrompt p = clip.tokenizeWeighted(prompt);
    assertEquals(1, p.chunks().size());
    assertArrayEquals(expected, p.chunks().get(0).ids());
    assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407},
        Arrays.copyOf(clip.tokenizeWeighted("a photo of a cat").ids(), 7));
  }

  private static float[] ones() {
    float[] ones = new float[N];
    Arrays.fill(ones, 1f);
    return ones;
  }
}
