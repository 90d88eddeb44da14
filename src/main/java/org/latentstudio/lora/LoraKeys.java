package org.latentstudio.lora;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The key formats of LoRA files, as diffusers' {@code lora_conversion_utils} and {@code state_dict_utils} read them:
 * <ul>
 *   <li>kohya: {@code lora_unet_<module>.lora_down.weight}, {@code .lora_up.weight}, {@code .alpha}; text encoder
 *       {@code lora_te_<module>}; the module's dots are underscores, in diffusers' or in LDM naming
 *       ({@code lora_unet_input_blocks_1_1_…});
 *   <li>diffusers/PEFT: {@code unet.<module>.lora_A.weight} and {@code .lora_B.weight}, {@code text_encoder.<module>…};
 *   <li>older diffusers (attention processors): {@code unet.<…>.attn1.processor.to_q_lora.down.weight},
 *       {@code text_encoder.<…>.self_attn.to_q_lora.down.weight}, {@code <module>.lora.down.weight},
 *       {@code <module>.lora_linear_layer.down.weight}.
 * </ul>
 */
final class LoraKeys {
  /** What a tensor is to its layer. */
  enum Role { DOWN, UP, ALPHA }

  /** A tensor name split into its layer's name and its role, or role null for a tensor that is no LoRA weight. */
  record Split(String layer, Role role) {}

  private static final List<Map.Entry<String, Role>> SUFFIXES = List.of(
      Map.entry(".lora_down.weight", Role.DOWN), Map.entry(".lora_up.weight", Role.UP),
      Map.entry(".lora_A.weight", Role.DOWN), Map.entry(".lora_B.weight", Role.UP),
      Map.entry(".lora_linear_layer.down.weight", Role.DOWN), Map.entry(".lora_linear_layer.up.weight", Role.UP),
      Map.entry(".lora.down.weight", Role.DOWN), Map.entry(".lora.up.weight", Role.UP),
      Map.entry(".down.weight", Role.DOWN), Map.entry(".up.weight", Role.UP), // "…to_q_lora.down.weight"
      Map.entry(".alpha", Role.ALPHA));

  /** Old diffusers attention-processor names and the layers they stand for (UNet, text encoder). */
  private static final Map<String, String[]> PROCESSOR_NAMES = Map.of(
      "to_q_lora", new String[] {"to_q", "q_proj"}, "to_k_lora", new String[] {"to_k", "k_proj"},
      "to_v_lora", new String[] {"to_v", "v_proj"}, "to_out_lora", new String[] {"to_out.0", "out_proj"});

  private LoraKeys() {}

  static Split split(String tensor) {
    for (Map.Entry<String, Role> s : SUFFIXES) {
      if (tensor.endsWith(s.getKey())) {
        String layer = tensor.substring(0, tensor.length() - s.getKey().length());
        boolean bareDownUp = s.getKey().equals(".down.weight") || s.getKey().equals(".up.weight");
        if (bareDownUp && !layer.endsWith("_lora")) {
          break; // ".down.weight" alone is only a LoRA weight in "…_lora.down.weight"
        }
        return new Split(layer, s.getValue());
      }
    }
    return new Split(tensor, null);
  }

  /** The part and module a layer name targets. */
  static LoraLayer target(String layer, org.latentstudio.weights.StoredTensor down,
      org.latentstudio.weights.StoredTensor up, Float alpha) {
    if (layer.startsWith("lora_unet_")) {
      return new LoraLayer(layer, LoraPart.UNET, layer.substring("lora_unet_".length()), true, down, up, alpha);
    }
    if (layer.startsWith("lora_te_")) {
      return new LoraLayer(layer, LoraPart.TEXT_ENCODER, layer.substring("lora_te_".length()), true, down, up, alpha);
    }
    LoraPart part;
    String module;
    if (layer.startsWith("unet.")) {
      part = LoraPart.UNET;
      module = layer.substring("unet.".length());
    } else if (layer.startsWith("text_encoder.")) {
      part = LoraPart.TEXT_ENCODER;
      module = layer.substring("text_encoder.".length());
    } else {
      // the oldest diffusers files have no component prefix; their UNet names start with the block
      part = layer.startsWith("text_model.") ? LoraPart.TEXT_ENCODER : LoraPart.UNET;
      module = layer;
    }
    return new LoraLayer(layer, part, dotted(module, part), false, down, up, alpha);
  }

  /** An old diffusers module path in the model's own names: processors dropped, {@code to_q_lora} → {@code to_q}. */
  private static String dotted(String module, LoraPart part) {
    String m = module.replace(".processor.", ".");
    int dot = m.lastIndexOf('.');
    String last = m.substring(dot + 1);
    String[] renamed = PROCESSOR_NAMES.get(last);
    if (renamed != null) {
      m = m.substring(0, dot + 1) + renamed[part == LoraPart.UNET ? 0 : 1];
    }
    return m;
  }

  /** A dotted parameter path as kohya spells it: {@code down_blocks.0.attn1.to_q} → {@code down_blocks_0_attn1_to_q}. */
  static String kohya(String dotted) {
    return dotted.replace('.', '_');
  }

  /** The variants we recognise but do not apply, by a key that only they have; null if the keys show none. */
  static String unsupportedVariant(Iterable<String> keys) {
    for (String k : keys) {
      String lower = k.toLowerCase(Locale.ROOT);
      if (lower.contains("hada_w1") || lower.contains("hada_w2") || lower.contains("hada_t1")) {
        return "a LoHa (LyCORIS Hadamard-product LoRA)";
      }
      if (lower.contains("lokr_w1") || lower.contains("lokr_w2")) {
        return "a LoKr (LyCORIS Kronecker-product LoRA)";
      }
      if (lower.endsWith(".dora_scale") || lower.contains("lora_magnitude_vector")) {
        return "a DoRA (weight-decomposed LoRA, with dora_scale magnitudes)";
      }
      if (lower.endsWith(".lora_mid.weight")) {
        return "a LoCon with CP/Tucker decomposition (lora_mid weights)";
      }
      if (lower.endsWith(".diff") || lower.endsWith(".diff_b")) {
        return "a LyCORIS full-weight difference (diff weights)";
      }
      if (lower.endsWith(".on_input")) {
        return "an (IA)^3 adapter";
      }
      if (lower.endsWith(".a1.weight") || lower.endsWith(".b1.weight")) {
        return "a GLoRA";
      }
    }
    return null;
  }
}
