package org.latentstudio.nodes.values;

import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ControlNetCheckpoint;
import org.latentstudio.checkpoint.ControlNetConfig;
import org.latentstudio.compiler.ControlNetGraph;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.CompiledCheckpoint;
import org.latentstudio.runtime.CompiledUNet;
import org.latentstudio.runtime.ModelSource;

/**
 * The CONTROL_NET type: a ControlNet read from the user's files. It is compiled against the UNet it is applied to
 * (a single file's heads and norm groups come from that UNet), when a sampler first uses it.
 */
public record ControlNet(ControlNetCheckpoint checkpoint) implements SizedValue {
  public String name() {
    return checkpoint.origin().getFileName().toString();
  }

  /** The ControlNet's architecture for {@code unet}; refuses one made for another base model. */
  public ControlNetConfig configFor(CompiledUNet unet) throws CheckpointException {
    return checkpoint.configFor(unet.config(), unet.name());
  }

  /** Its compiled graph for {@code unet}, from the graph cache after the first build. */
  public ModelSource source(CompiledUNet unet) throws CheckpointException {
    ControlNetConfig config = configFor(unet);
    ControlNetCheckpoint c = checkpoint;
    return CompiledCheckpoint.component(unet.cache(), config, c.weights(), c.folder(), c.origin().toString(),
        "ControlNet", unet.options().toString(),
        () -> ControlNetGraph.build(config, c.weights(), c.folder(), unet.options(), c.origin().toString()));
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
