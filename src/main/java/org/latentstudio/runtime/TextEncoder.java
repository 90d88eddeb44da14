package org.latentstudio.runtime;

import org.latentstudio.tensor.Tensor;

/** The CLIP text encoder of a checkpoint: token ids in, one hidden state per token out. */
public final class TextEncoder implements AutoCloseable {
  private static final String ROLE = "a CLIP text encoder";
  private final ModelLease lease;
  private final String output;

  private TextEncoder(ModelLease lease) throws ModelException {
    this.lease = lease;
    OnnxModel m = lease.model();
    m.requireInputs(ROLE, "input_ids");
    output = m.outputNames().contains("last_hidden_state") ? "last_hidden_state"
        : m.outputNames().iterator().next();
  }

  public static TextEncoder open(OrtRuntime runtime, SdModel model) throws ModelException {
    return open(runtime, model.textEncoder());
  }

  /** The text encoder of {@code source} (one of a model's variants, e.g. stopping at an earlier layer). */
  public static TextEncoder open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return runtime.open(source, TextEncoder::new);
  }

  /** The width of each token's hidden state, or -1 if the model does not declare it. */
  public int hiddenSize() {
    long[] shape = lease.model().outputShape(output);
    return shape.length == 3 ? (int) shape[2] : -1;
  }

  /**
   * @param ids {@code batch} rows of 77 token ids
   * @return the last hidden state, [batch, 77, hidden]
   */
  public Tensor encode(long[] ids, int batch) throws ModelException {
    int length = ids.length / batch;
    return lease.model().run(new ModelInputs().ints("input_ids", ids, batch, length), output).get(output);
  }

  @Override
  public void close() {
    lease.close();
  }
}
