package org.latentstudio.nodes.values;

import org.latentstudio.checkpoint.IpAdapterCheckpoint;
import org.latentstudio.compiler.ImageProjectionGraph;
import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.runtime.CompiledCheckpoint;
import org.latentstudio.runtime.CompiledUNet;
import org.latentstudio.runtime.ModelSource;

/** The IPADAPTER type: an IP-Adapter file, read and checked; compiled with the model it is applied to. */
public record IpAdapter(IpAdapterCheckpoint checkpoint) implements SizedValue {
  public String name() {
    return checkpoint.origin().getFileName().toString();
  }

  /** Its image projection (CLIP embedding → image tokens) as a compiled graph. */
  public ModelSource projection(CompiledUNet unet) {
    IpAdapterCheckpoint c = checkpoint;
    String origin = c.origin().toString();
    return CompiledCheckpoint.component(unet.cache(), "image_proj " + c.tokens() + "x" + c.crossDim() + " from "
        + c.embeddingDim(), c.projectionWeights(), c.origin().getParent(), origin, "IP-Adapter image projection",
        unet.options().toString(), () -> ImageProjectionGraph.build(c.projectionWeights(), c.origin().getParent(),
            c.tokens(), c.crossDim(), c.embeddingDim(), unet.options(), origin));
  }

  /** The UNet's cross-attention additions this adapter brings. */
  public UNetVariant.IpAdapterLayers layers() {
    return new UNetVariant.IpAdapterLayers(checkpoint.layerWeights(), checkpoint.origin().getParent(),
        checkpoint.tokens());
  }

  @Override
  public long byteSize() {
    return 256;
  }
}
