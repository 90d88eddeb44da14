package org.latentstudio.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE ({@code SimpleTokenizer.bpe}): a word is its UTF-8 bytes as byte symbols, the last one
 * marked end-of-word ({@code </w>}); then the pair with the lowest merge rank is joined everywhere, left to
 * right, until no pair has a rank. Symbols are vocabulary ids throughout, so a word's ids come out directly.
 */
final class Bpe {
  static final String END_OF_WORD = "</w>";
  /** Words seen are cached, as CLIP does; the bound only keeps a long-running studio from growing forever. */
  private static final int CACHE_LIMIT = 100_000;

  private final int[] byteIds = new int[256];
  private final int[] byteEndIds = new int[256];
  private final PairRanks ranks;
  /** The id of the symbol each merge makes, by rank. */
  private final int[] joinedIds;
  private final int vocabSize;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private Bpe(PairRanks ranks, int[] joinedIds, int vocabSize) {
    this.ranks = ranks;
    this.joinedIds = joinedIds;
    this.vocabSize = vocabSize;
  }

  /**
   * @param vocab token to id, as in vocab.json
   * @param merges the pairs of merges.txt, in rank order
   * @param source how to name the folder in messages
   */
  static Bpe of(Map<String, Integer> vocab, List<String[]> merges, String source) throws TokenizerFormatException {
    PairRanks ranks = new PairRanks(merges.size());
    int[] joinedIds = new int[merges.size()];
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] pair = merges.get(rank);
      String joined = pair[0] + pair[1];
      Integer left = vocab.get(pair[0]);
      Integer right = vocab.get(pair[1]);
      Integer id = vocab.get(joined);
      if (left == null || right == null || id == null) {
        String missing = left == null ? pair[0] : right == null ? pair[1] : joined;
        throw new TokenizerFormatException(source + ": merge " + (rank + 1) + " of merges.txt (\"" + pair[0] + " "
            + pair[1] + "\") needs the token \"" + missing + "\", which vocab.json lacks; vocab.json and merges.txt "
            + "must come from the same tokenizer");
      }
      // a pair listed twice keeps its last rank, as CLIP's dict(zip(merges, range(...))) does
      ranks.put(left, right, rank);
      joinedIds[rank] = id;
    }
    Bpe bpe = new Bpe(ranks, joinedIds, vocab.size());
    for (int b = 0; b < 256; b++) {
      String symbol = ByteSymbols.of(b);
      Integer id = vocab.get(symbol);
      Integer endId = vocab.get(symbol + END_OF_WORD);
      if (id == null || endId == null) {
        throw new TokenizerFormatException(source + ": vocab.json lacks the byte-level token \"" + symbol
            + (id == null ? "" : END_OF_WORD) + "\" (byte " + b + "), so it is not a CLIP BPE vocabulary; a CLIP "
            + "vocabulary starts with the 256 byte symbols and the same 256 with </w>");
      }
      bpe.byteIds[b] = id;
      bpe.byteEndIds[b] = endId;
    }
    return bpe;
  }

  int vocabSize() {
    return vocabSize;
  }

  /** The ids of one pre-tokenised piece. The array is shared with the cache: do not modify it. */
  int[] ids(String piece) {
    int[] ids = cache.get(piece);
    if (ids == null) {
      ids = merge(piece.getBytes(StandardCharsets.UTF_8));
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(piece, ids);
    }
    return ids;
  }

  private int[] merge(byte[] bytes) {
    int n = bytes.length;
    int[] symbols = new int[n];
    for (int i = 0; i < n; i++) {
      symbols[i] = byteIds[bytes[i] & 0xFF];
    }
    symbols[n - 1] = byteEndIds[bytes[n - 1] & 0xFF];
    while (n > 1) {
      int best = PairRanks.NONE;
      int at = -1;
      for (int i = 0; i + 1 < n; i++) {
        int rank = ranks.get(symbols[i], symbols[i + 1]);
        if (rank < best) {
          best = rank;
          at = i;
        }
      }
      if (at < 0) {
        break;
      }
      n = join(symbols, n, symbols[at], symbols[at + 1], joinedIds[best]);
    }
    return Arrays.copyOf(symbols, n);
  }

  /** Replaces every (left, right) by {@code joined}, left to right; returns the new length. */
  private static int join(int[] symbols, int n, int left, int right, int joined) {
    int out = 0;
    for (int i = 0; i < n; ) {
      if (i + 1 < n && symbols[i] == left && symbols[i + 1] == right) {
        symbols[out++] = joined;
        i += 2;
      } else {
        symbols[out++] = symbols[i++];
      }
    }
    return out;
  }
}
