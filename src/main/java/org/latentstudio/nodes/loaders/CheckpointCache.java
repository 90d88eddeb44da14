package org.latentstudio.nodes.loaders;

import java.util.LinkedHashMap;
import java.util.Map;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;

/**
 * Opened checkpoints (the checked model and its tokenizer) by the fingerprint of their files, so a checkpoint
 * that the node cache dropped opens again without re-reading a 49k-token vocabulary, and a checkpoint whose
 * files changed on disk opens afresh. Keeps the few most recently used.
 */
public final class CheckpointCache {
  private static final int CAPACITY = 8;

  /** A checkpoint ready to hand out. */
  public record Opened(SdModel model, ClipTokenizer tokenizer) {}

  /** Opens a checkpoint on a miss. */
  public interface Opener {
    Opened open() throws ModelException, TokenizerFormatException;
  }

  private final Map<String, Opened> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Opened> eldest) {
      return size() > CAPACITY;
    }
  };

  public synchronized Opened get(String fingerprint, Opener opener) throws ModelException, TokenizerFormatException {
    Opened o = fingerprint.isEmpty() ? null : entries.get(fingerprint);
    if (o == null) {
      o = opener.open();
      if (!fingerprint.isEmpty()) {
        entries.put(fingerprint, o);
      }
    }
    return o;
  }
}
