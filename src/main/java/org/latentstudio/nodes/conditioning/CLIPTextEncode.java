package org.latentstudio.nodes.conditioning;

import java.util.Arrays;
import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.ClipModel;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.TextEncoder;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizedPrompt;

/**
 * Encodes a prompt for the sampler. Emphasis such as {@code (word:1.3)} or {@code [word]} is applied as
 * ComfyUI does: each weighted token's hidden state moves away from the empty prompt's by its weight,
 * {@code z = (z − z_∅)·w + z_∅}. Prompts longer than 75 tokens are encoded in 77-token chunks and concatenated.
 * All chunks and the empty prompt go through the text encoder in one batched call.
 */
public final class CLIPTextEncode implements NodeType {
  static final InPort<String> TEXT = InPort.text("text", "").multiline();

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("CLIPTextEncode", "CLIP Text Encode (Prompt)", "conditioning",
        List.of(TEXT, Ports.CLIP_IN), List.of(Ports.CONDITIONING));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    ClipModel clip = in.get(Ports.CLIP_IN);
    ClipTokenizer tokenizer = clip.tokenizer();
    TokenizedPrompt prompt = tokenizer.tokenizeWeighted(in.get(TEXT));
    long[] emptyIds = ids(List.of(tokenizer.tokenizeWeighted("").chunks().get(0)));
    List<TokenizedPrompt.Chunk> chunks = prompt.chunks();
    int n = chunks.size();
    long[] ids = ids(chunks);
    Tensor hidden;
    Tensor empty;
    try (TextEncoder encoder = TextEncoder.openForCalls(ctx.service(OrtRuntime.class), clip.textEncoder(), n,
        ClipTokenizer.CHUNK_LENGTH)) {
      empty = encoder.emptyPrompt(emptyIds);
      // the empty prompt (a negative left blank) is the state just computed
      hidden = Arrays.equals(ids, emptyIds) ? empty : encoder.encode(ids, n);
    } catch (ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
    return Outputs.of(Ports.CONDITIONING, weighted(hidden, chunks, empty));
  }

  /** The chunks' token ids, one row of {@value ClipTokenizer#CHUNK_LENGTH} each. */
  private static long[] ids(List<TokenizedPrompt.Chunk> chunks) {
    long[] ids = new long[chunks.size() * ClipTokenizer.CHUNK_LENGTH];
    for (int c = 0; c < chunks.size(); c++) {
      int[] chunkIds = chunks.get(c).ids();
      for (int i = 0; i < chunkIds.length; i++) {
        ids[c * ClipTokenizer.CHUNK_LENGTH + i] = chunkIds[i];
      }
    }
    return ids;
  }

  /**
   * The chunks' states side by side along the token axis, weights applied against the empty prompt's.
   *
   * @param hidden [chunks, tokens, width]
   * @param empty  the empty prompt's state, [1, tokens, width]
   */
  static Conditioning weighted(Tensor hidden, List<TokenizedPrompt.Chunk> chunks, Tensor empty) {
    int n = chunks.size();
    int length = hidden.dim(1);
    int width = hidden.dim(2);
    float[] h = hidden.data();
    float[] e = empty.data();
    float[] out = new float[n * length * width];
    for (int c = 0; c < n; c++) {
      float[] w = chunks.get(c).weights();
      for (int t = 0; t < length; t++) {
        int src = (c * length + t) * width;
        int at = t * width;
        for (int k = 0; k < width; k++) {
          out[src + k] = w[t] == 1f ? h[src + k] : (h[src + k] - e[at + k]) * w[t] + e[at + k];
        }
      }
    }
    return new Conditioning(Tensor.of(out, 1, n * length, width), empty);
  }
}
