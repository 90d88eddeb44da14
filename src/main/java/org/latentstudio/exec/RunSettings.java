package org.latentstudio.exec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Per-run settings that are not part of the graph.
 *
 * @param outputDir    where save nodes write files
 * @param previewEvery emit a live preview every this many sampler steps; 0 turns previews off
 */
public record RunSettings(Path outputDir, int previewEvery) {
  public RunSettings {
    Objects.requireNonNull(outputDir, "outputDir");
    if (outputDir.toString().isBlank()) {
      // Path.of("") is the working folder: saving there by accident is what an empty setting must not do
      throw new IllegalArgumentException("the output folder is empty; name a folder");
    }
    if (previewEvery < 0) {
      throw new IllegalArgumentException("previewEvery must be 0 or more");
    }
  }

  /** A preview every step. */
  public static RunSettings defaults(Path outputDir) {
    return new RunSettings(outputDir, 1);
  }
}
