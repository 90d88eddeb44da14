package org.latentstudio.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizedPrompt;
import org.latentstudio.text.TokenizerFormatException;

/**
 * The CLIP tokenizer (the real vocabulary the application ships) and the prompt-weight parser on arbitrary
 * text: every id is in the vocabulary, every chunk is 77 ids starting with BOS, and weights are finite. See
 * {@link FuzzRuns}.
 */
public class TokenizerFuzz {
  private static final ClipTokenizer TOKENIZER;

  static {
    try {
      TOKENIZER = ClipTokenizer.bundled();
    } catch (TokenizerFormatException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    String prompt = data.consumeRemainingAsString();
    for (int id : TOKENIZER.encode(prompt)) {
      if (id < 0 || id >= TOKENIZER.vocabSize()) {
        throw new AssertionError("id " + id + " outside the vocabulary for " + FuzzRuns.show(prompt));
      }
    }
    TokenizedPrompt weighted = TOKENIZER.tokenizeWeighted(prompt);
    for (TokenizedPrompt.Chunk c : weighted.chunks()) {
      if (c.ids().length != ClipTokenizer.CHUNK_LENGTH || c.ids()[0] != TOKENIZER.bos()) {
        throw new AssertionError("a chunk that is not BOS + 76 ids for " + FuzzRuns.show(prompt));
      }
      for (float w : c.weights()) {
        if (!Float.isFinite(w)) {
          throw new AssertionError("weight " + w + " for " + FuzzRuns.show(prompt));
        }
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void tokenizer(FuzzedDataProvider data) {
    fuzzerTestOneInput(data);
  }
}
