package org.latentstudio.runtime;

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
  @FunctionalInterface
  public interface Variants {
    ModelSource unet(UNetVariant variant);
  }

  public ModelSource unet(UNetVariant variant) {
    return variants.unet(variant);
  }
}
