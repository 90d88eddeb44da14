package org.latentstudio.runtime;

import java.util.Map;
import org.latentstudio.tensor.Tensor;

/** The CLIP text encoder of a checkpoint: token ids in, one hidden state per token out. */
public final class TextEncoder implements AutoCloseable {
  private static final String ROLE = "a CLIP text encoder";
  private final DimsSessions sessions;
  private final String output;

  private TextEncoder(DimsSessions sessions) throws ModelException {
    this.sessions = sessions;
    OnnxModel m = sessions.first();
    m.requireInputs(ROLE, "input_ids");
    output = m.outputNames().contains("last_hidden_state") ? "last_hidden_state"
        : m.outputNames().iterator().next();
  }

  public static TextEncoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    return open(runtime, model.textEncoder());
  }

  /** The text encoder of {@code source} (one of a model's variants, e.g. stopping at an earlier layer). */
  public static TextEncoder open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return new DimsSessions(runtime, source, Map.of()).view(TextEncoder::new);
  }

  /**
   * The text encoder for calls of {@code batch} rows of {@code length} tokens: a small model's session gets those
   * dimensions fixed (see {@link DimsSessions}).
   */
  public static TextEncoder openForCalls(OrtRuntime runtime, ModelSource source, int batch, int length)
      throws ModelException {
    return new DimsSessions(runtime, source, callDims(batch, length)).view(TextEncoder::new);
  }

  /** The dimensions of a call on {@code batch} rows of {@code length} tokens, by their names. */
  public static Map<String, Long> callDims(int batch, int length) {
    return Map.of("batch", (long) batch, "sequence", (long) length);
  }

  /** The width of each token's hidden state, or -1 if the model does not declare it. */
  public int hiddenSize() {
    long[] shape = sessions.first().outputShape(output);
    return shape.length == 3 ? (int) shape[2] : -1;
  }

  /**
   * @param ids {@code batch} rows of 77 token ids
   * @return the last hidden state, [batch, 77, hidden]
   */
  public Tensor encode(long[] ids, int batch) throws ModelException {
    int length = ids.length / batch;
    OnnxModel m = sessions.forCall(callDims(batch, length), Map.of("input_ids", new int[] {batch, length}));
    return m.run(new ModelInputs().ints("input_ids", ids, batch, length), output).get(output);
  }

  /**
   * The hidden state of the empty prompt ({@code ids}: one row of BOS, EOS and padding), which prompt weighting
   * and padding need beside every prompt: encoded once per session instead of once per prompt.
   */
  public Tensor emptyPrompt(long[] ids) throws ModelException {
    return sessions.derived("empty prompt " + java.util.Arrays.toString(ids), Tensor.class, () -> encode(ids, 1));
  }

  @Override
  public void close() {
    sessions.close();
  }
}
