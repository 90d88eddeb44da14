package org.latentstudio.runtime;

import java.util.List;
import org.latentstudio.checkpoint.UNetConfig;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.compiler.UNetVariant;

/**
 * What a checkpoint compiled from its weights offers beyond an ONNX folder: its UNet's architecture, and its UNet
 * built as a {@link UNetVariant} (with ControlNet residual inputs, IP-Adapter layers). Add-ons that are compiled
 * against the UNet (ControlNets, IP-Adapters) use the same graph cache and options.
 *
 * @param name the checkpoint, for messages
 */
public record CompiledUNet(UNetConfig config, String name, GraphCache cache, CompileOptions options,
    Variants variants) {

  /** Makes the model source of a variant; its key includes the variant and, for IP-Adapters, their files. */
  public interface Variants {
    ModelSource unet(UNetVariant variant);

    /** Every UNet source handed out so far (the plain one included), so others can be unloaded. */
    List<ModelSource> made();
  }

  /**
   * Unloads the other variants of this UNet that are loaded and idle, before {@code keep} is loaded: memory holds
   * one UNet of a checkpoint, whichever add-ons the last run used.
   */
  public void releaseAllBut(ModelSource keep, OrtRuntime runtime) {
    for (ModelSource s : variants.made()) {
      if (!s.key().equals(keep.key())) {
        runtime.release(s);
      }
    }
  }

  public ModelSource unet(UNetVariant variant) {
    return variants.unet(variant);
  }
}
