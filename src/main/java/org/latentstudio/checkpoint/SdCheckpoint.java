package org.latentstudio.checkpoint;

import java.nio.file.Path;
import org.latentstudio.diffusion.SchedulerConfig;
import org.latentstudio.weights.WeightSet;

/**
 * A Stable Diffusion 1.x model read from the user's files, ready to compile: each component's architecture and
 * its weights under diffusers/transformers names, whatever layout the files had.
 *
 * @param origin       the file or folder the user gave
 * @param format       "diffusers folder", "single-file checkpoint", ... for messages and the UI
 * @param tokenizerDir the folder with vocab.json and merges.txt, or null for the bundled CLIP vocabulary
 */
public record SdCheckpoint(Path origin, String format, Part<ClipTextConfig> textEncoder, Part<UNetConfig> unet,
    Part<VaeConfig> vae, Path tokenizerDir, SchedulerConfig scheduler) {

  /**
   * One component.
   *
   * @param folder where its weight files lie (the compiled graph's external data is relative to it)
   * @param origin its file, for messages
   */
  public record Part<C>(C config, WeightSet weights, Path folder, String origin) {}

  /** Text width must equal the UNet's cross-attention width, or the first UNet call fails obscurely. */
  void checkTextWidth() throws CheckpointException {
    int hidden = textEncoder.config().hiddenSize();
    int cross = unet.config().crossAttentionDim();
    if (hidden != cross) {
      throw new CheckpointException(origin + ": the text encoder's hidden size is " + hidden + " but the UNet's "
          + "cross-attention width is " + cross + ". The text encoder belongs to a different model family");
    }
  }
}
