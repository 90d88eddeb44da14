package org.latentstudio.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The CLIP BPE tokenizer of Stable Diffusion 1.x, giving the ids of OpenAI CLIP's {@code simple_tokenizer}
 * (with ftfy): clean the text ({@link TextCleaner}), split it ({@link PreTokenizer}), then byte-level BPE
 * ({@link Bpe}). It reads any vocabulary in the CLIP format, so the small ones of our own models work too;
 * the BOS and EOS ids come from the vocabulary. Thread-safe.
 */
public final class ClipTokenizer {
  /** The text encoder's sequence length: BOS, up to 75 tokens, EOS. */
  public static final int CHUNK_LENGTH = 77;

  private final Bpe bpe;
  private final int bos;
  private final int eos;

  private ClipTokenizer(Bpe bpe, int bos, int eos) {
    this.bpe = bpe;
    this.bos = bos;
    this.eos = eos;
  }

  /** Reads {@code vocab.json} and {@code merges.txt} from {@code dir} (a checkpoint's {@code tokenizer/}). */
  public static ClipTokenizer load(Path dir) throws TokenizerFormatException {
    Map<String, Integer> vocab = TokenizerFiles.readVocab(dir);
    List<String[]> merges = TokenizerFiles.readMerges(dir);
    Bpe bpe = Bpe.of(vocab, merges, dir.toString());
    return new ClipTokenizer(bpe, special(vocab, PreTokenizer.START_OF_TEXT, dir),
        special(vocab, PreTokenizer.END_OF_TEXT, dir));
  }

  private static volatile ClipTokenizer bundled;

  /**
   * OpenAI CLIP's vocabulary, shipped inside the application (MIT licence beside it), for checkpoints that carry
   * no tokenizer of their own: single-file SD1.x checkpoints use exactly this one.
   */
  public static ClipTokenizer bundled() throws TokenizerFormatException {
    ClipTokenizer t = bundled;
    if (t == null) {
      synchronized (ClipTokenizer.class) {
        if (bundled == null) {
          bundled = load(BundledVocabulary.dir());
        }
        t = bundled;
      }
    }
    return t;
  }

  private static int special(Map<String, Integer> vocab, String token, Path dir) throws TokenizerFormatException {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new TokenizerFormatException(dir.resolve(TokenizerFiles.VOCAB) + " has no " + token + " token; a CLIP "
          + "vocabulary ends with <|startoftext|> and <|endoftext|>. Use the tokenizer of the checkpoint");
    }
    return id;
  }

  /** The id of {@code <|startoftext|>}, which begins every chunk. */
  public int bos() {
    return bos;
  }

  /** The id of {@code <|endoftext|>}, which ends every chunk and pads it (the SD1.x convention). */
  public int eos() {
    return eos;
  }

  public int vocabSize() {
    return bpe.vocabSize();
  }

  /** The ids of {@code text} alone: no BOS, EOS or padding, however long. */
  public int[] encode(String text) {
    int[] out = new int[16];
    int n = 0;
    for (String piece : PreTokenizer.split(TextCleaner.clean(text))) {
      int[] ids = switch (piece) {
        case PreTokenizer.START_OF_TEXT -> new int[] {bos};
        case PreTokenizer.END_OF_TEXT -> new int[] {eos};
        default -> bpe.ids(piece);
      };
      if (n + ids.length > out.length) {
        out = Arrays.copyOf(out, Math.max(2 * out.length, n + ids.length));
      }
      System.arraycopy(ids, 0, out, n, ids.length);
      n += ids.length;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The prompt with its emphasis ({@link PromptWeights}) as text-encoder chunks: every token carries the weight
   * of the text it came from. Each word is tokenised on its own so that a chunk never ends inside a short word.
   */
  public TokenizedPrompt tokenizeWeighted(String prompt) {
    List<PromptChunker.Word> words = new ArrayList<>();
    for (WeightedText segment : PromptWeights.parse(prompt)) {
      for (String word : splitWords(segment.text())) {
        words.add(new PromptChunker.Word(encode(word), (float) segment.weight()));
      }
    }
    return PromptChunker.chunk(words, bos, eos);
  }

  private static List<String> splitWords(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean space = i == text.length() || TextCleaner.isWhitespace(text.charAt(i));
      if (space && start >= 0) {
        words.add(text.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return words;
  }
}
