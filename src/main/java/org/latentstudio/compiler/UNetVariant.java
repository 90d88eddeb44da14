package org.latentstudio.compiler;

import java.nio.file.Path;
import org.latentstudio.weights.WeightSet;

/**
 * Which inputs a compiled UNet takes besides {@code sample}, {@code timestep} and {@code encoder_hidden_states}.
 * A variant is part of the compiled graph's identity: two variants are two graphs (and two sessions).
 *
 * @param controlResiduals the ControlNet residuals, OnnxStack's names: {@code down_block_<i>_additional_residual}
 *                         for every skip connection and {@code mid_block_additional_residual}, added as diffusers'
 *                         UNet adds them; fed zeros while no ControlNet is active
 * @param ipAdapter        IP-Adapter's decoupled cross-attention, or null: inputs {@code ip_tokens}
 *                         [batch, tokens, cross] and {@code ip_scale} [cross-attention layers]
 */
public record UNetVariant(boolean controlResiduals, IpAdapterLayers ipAdapter) {
  public static final UNetVariant PLAIN = new UNetVariant(false, null);

  public static final String MID_RESIDUAL = "mid_block_additional_residual";
  public static final String IP_TOKENS = "ip_tokens";
  public static final String IP_SCALE = "ip_scale";

  public static String downResidual(int i) {
    return "down_block_" + i + "_additional_residual";
  }

  public boolean isPlain() {
    return !controlResiduals && ipAdapter == null;
  }

  /**
   * An IP-Adapter's per-layer key and value projections.
   *
   * @param weights {@code ip_adapter.<n>.to_k_ip.weight} and {@code .to_v_ip.weight}, h94's names
   * @param folder  the folder of the adapter's file
   * @param tokens  image tokens per picture (4 for the base IP-Adapter)
   */
  public record IpAdapterLayers(WeightSet weights, Path folder, int tokens) {}

  /** For the graph cache key and messages; the adapter's file identity is added by the caller. */
  public String describe() {
    return (controlResiduals ? "control" : "") + (ipAdapter != null ? "+ip" + ipAdapter.tokens() : "");
  }
}
