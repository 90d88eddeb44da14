package org.latentstudio.interop.comfy;

import java.util.Locale;
import java.util.Map;

/**
 * How a widget value reads in ComfyUI and here, where the two differ. Each mapping goes both ways; where several
 * ComfyUI values have no exact counterpart here, the value is kept as it is and validation names it.
 */
public enum ValueMapping {
  SAME {
    @Override
    Object toOurs(Object comfy) {
      return comfy;
    }

    @Override
    Object toComfy(Object ours) {
      return ours;
    }
  },

  /** ComfyUI's "enable"/"disable" lists for what is a boolean here (KSamplerAdvanced). */
  ENABLE_DISABLE {
    @Override
    Object toOurs(Object comfy) {
      if (comfy instanceof Boolean b) {
        return b;
      }
      String s = String.valueOf(comfy).toLowerCase(Locale.ROOT);
      return s.equals("enable") ? Boolean.TRUE : s.equals("disable") ? Boolean.FALSE : comfy;
    }

    @Override
    Object toComfy(Object ours) {
      return ours instanceof Boolean b ? (b ? "enable" : "disable") : ours;
    }
  },

  /**
   * A checkpoint file name with ComfyUI's separators ("SD1.5\\model.safetensors" is "SD1.5/model.safetensors"). Which
   * of the file or a model folder of the same name is meant is decided against the models folders at import
   * ({@link ModelNames#preferred}).
   */
  CHECKPOINT {
    @Override
    Object toOurs(Object comfy) {
      return comfy instanceof String s ? s.replace('\\', '/') : comfy;
    }

    @Override
    Object toComfy(Object ours) {
      return ours;
    }
  },

  /** Another model file under a models folder (a LoRA's lora_name), with ComfyUI's separators made ours. */
  MODEL_FILE {
    @Override
    Object toOurs(Object comfy) {
      return comfy instanceof String s ? s.replace('\\', '/') : comfy;
    }

    @Override
    Object toComfy(Object ours) {
      return ours;
    }
  },

  /**
   * ComfyUI's schedulers by the timesteps they pick (comfy/samplers.py), against diffusers' spacings: "simple"
   * takes every (1000/steps)-th sigma from the top, which is diffusers' "trailing"; "ddim_uniform" starts at
   * timestep 1 and goes up in steps of 1000/steps, which is "leading" with SD1.5's steps_offset 1; "normal" is
   * linspace(999, 0, steps), diffusers' "linspace" (ComfyUI interpolates log sigma, diffusers sigma: within
   * 1e-3 of each other). Our own "normal" means the model's configured spacing, which is "leading" for SD1.5,
   * so it is written as "ddim_uniform". Karras and exponential have the same names. sgm_uniform and beta have
   * no counterpart here and stay as they are, for validation to report.
   */
  SCHEDULER {
    private static final Map<String, String> TO_OURS = Map.of(
        "normal", "linspace", "simple", "trailing", "ddim_uniform", "leading");
    private static final Map<String, String> TO_COMFY = Map.of(
        "linspace", "normal", "trailing", "simple", "leading", "ddim_uniform", "normal", "ddim_uniform");

    @Override
    Object toOurs(Object comfy) {
      return comfy instanceof String s ? TO_OURS.getOrDefault(s, s) : comfy;
    }

    @Override
    Object toComfy(Object ours) {
      return ours instanceof String s ? TO_COMFY.getOrDefault(s, s) : ours;
    }
  };

  abstract Object toOurs(Object comfy);

  abstract Object toComfy(Object ours);
}
