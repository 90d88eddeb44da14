package org.latentstudio.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs a prompt's words into 77-id chunks the way ComfyUI does ({@code SDTokenizer.tokenize_with_weights}):
 * each chunk is BOS, up to 75 tokens, EOS, then EOS padding. A word that does not fit in what is left of a chunk
 * starts the next one, unless it is {@value #LONG_WORD} tokens or longer: such a word fills the chunk and goes on
 * in the next.
 */
final class PromptChunker {
  /** ComfyUI's {@code max_word_length}. */
  static final int LONG_WORD = 8;
  private static final int ROOM = ClipTokenizer.CHUNK_LENGTH - 2;

  /** One word's token ids, all with the word's weight. */
  record Word(int[] ids, float weight) {}

  private final int bos;
  private final int eos;
  private final List<TokenizedPrompt.Chunk> chunks = new ArrayList<>();
  private final int[] ids = new int[ClipTokenizer.CHUNK_LENGTH];
  private final float[] weights = new float[ClipTokenizer.CHUNK_LENGTH];
  private int used;

  private PromptChunker(int bos, int eos) {
    this.bos = bos;
    this.eos = eos;
    start();
  }

  static TokenizedPrompt chunk(List<Word> words, int bos, int eos) {
    PromptChunker chunker = new PromptChunker(bos, eos);
    for (Word w : words) {
      chunker.add(w);
    }
    chunker.finish();
    return new TokenizedPrompt(chunker.chunks);
  }

  private void add(Word word) {
    boolean splittable = word.ids().length >= LONG_WORD;
    int next = 0;
    while (next < word.ids().length) {
      int left = word.ids().length - next;
      int room = 1 + ROOM - used;
      if (left <= room) {
        append(word, next, left);
        next += left;
      } else {
        if (splittable) {
          append(word, next, room);
          next += room;
        }
        finish();
        start();
      }
    }
  }

  private void append(Word word, int from, int count) {
    System.arraycopy(word.ids(), from, ids, used, count);
    Arrays.fill(weights, used, used + count, word.weight());
    used += count;
  }

  private void start() {
    Arrays.fill(weights, 1f);
    ids[0] = bos;
    used = 1;
  }

  /** EOS, then EOS as padding. */
  private void finish() {
    Arrays.fill(ids, used, ids.length, eos);
    Arrays.fill(weights, used, weights.length, 1f);
    chunks.add(new TokenizedPrompt.Chunk(ids, weights));
  }
}
