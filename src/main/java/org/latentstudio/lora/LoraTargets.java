package org.latentstudio.lora;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of one model part a LoRA may change: parameter name (diffusers' for the UNet, transformers'
 * {@code CLIPTextModel}'s for the text encoder) to its shape as torch declares it ([out, in] or [out, in, kh, kw]),
 * whatever layout the model's graph stores it in.
 *
 * @param model what the user calls the model, for messages
 */
public record LoraTargets(LoraPart part, String model, Map<String, long[]> shapes) {
  public LoraTargets {
    shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
  }

  /** How many resnets each UNet down block holds, which LDM names count by; 2 (SD1.5) if the names do not say. */
  int layersPerBlock() {
    int max = -1;
    for (String n : shapes.keySet()) {
      if (n.startsWith("down_blocks.0.resnets.")) {
        String rest = n.substring("down_blocks.0.resnets.".length());
        max = Math.max(max, Integer.parseInt(rest.substring(0, rest.indexOf('.'))));
      }
    }
    return max < 0 ? 2 : max + 1;
  }

  /** The width of the text the UNet's cross-attention reads, or the text encoder's width; empty if unknown. */
  Optional<Long> width() {
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      String n = e.getKey();
      if ((n.endsWith("attn2.to_k.weight") || n.endsWith("self_attn.q_proj.weight")) && e.getValue().length >= 2) {
        return Optional.of(e.getValue()[1]);
      }
    }
    return Optional.empty();
  }
}
