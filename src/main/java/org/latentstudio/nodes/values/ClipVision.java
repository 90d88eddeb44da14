package org.latentstudio.nodes.values;

import org.latentstudio.checkpoint.ClipVisionCheckpoint;
import org.latentstudio.compiler.ClipVisionGraph;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.CompiledCheckpoint;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.ModelSource;

/** The CLIP_VISION type: a CLIP image encoder, read and checked, compiled on first use. */
public record ClipVision(ClipVisionCheckpoint checkpoint) implements SizedValue {
  public String name() {
    return checkpoint.origin().getFileName().toString();
  }

  public ModelSource source(GraphCache cache, CompileOptions options) {
    ClipVisionCheckpoint c = checkpoint;
    String origin = c.origin().toString();
    return CompiledCheckpoint.component(cache, c.config(), c.weights(), c.folder(), origin, "CLIP vision encoder",
        options.toString(), () -> ClipVisionGraph.build(c.config(), c.weights(), c.folder(), options, origin));
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
