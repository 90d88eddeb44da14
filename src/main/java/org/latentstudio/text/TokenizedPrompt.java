package org.latentstudio.text;

import java.util.Arrays;
import java.util.List;

/**
 * A prompt as the text encoder takes it: one or more chunks of {@link ClipTokenizer#CHUNK_LENGTH} ids (BOS, up
 * to 75 tokens, EOS, EOS padding), each with one weight per id. BOS, EOS and padding weigh 1.0.
 */
public record TokenizedPrompt(List<Chunk> chunks) {
  public TokenizedPrompt {
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a tokenized prompt has at least one chunk");
    }
  }

  /** All ids, chunk after chunk: the text encoder's input for this prompt. */
  public int[] ids() {
    int[] all = new int[chunks.size() * ClipTokenizer.CHUNK_LENGTH];
    for (int c = 0; c < chunks.size(); c++) {
      System.arraycopy(chunks.get(c).ids, 0, all, c * ClipTokenizer.CHUNK_LENGTH, ClipTokenizer.CHUNK_LENGTH);
    }
    return all;
  }

  /** One text-encoder input: {@code ids[i]} carries {@code weights[i]}. The arrays are copied in and out. */
  public record Chunk(int[] ids, float[] weights) {
    public Chunk {
      if (ids.length != ClipTokenizer.CHUNK_LENGTH || weights.length != ids.length) {
        throw new IllegalArgumentException("a chunk has " + ClipTokenizer.CHUNK_LENGTH + " ids and as many "
            + "weights, got " + ids.length + " and " + weights.length);
      }
      ids = ids.clone();
      weights = weights.clone();
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }

    @Override
    public float[] weights() {
      return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c && Arrays.equals(ids, c.ids) && Arrays.equals(weights, c.weights);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(ids) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
      return "Chunk" + Arrays.toString(ids);
    }
  }
}
