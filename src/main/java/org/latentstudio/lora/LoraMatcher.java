package org.latentstudio.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.latentstudio.checkpoint.LdmNames;

/**
 * Finds the weight each layer of a LoRA changes, by name, as ComfyUI's {@code model_lora_keys_unet} and diffusers'
 * converters do: dotted names directly, kohya names through the model's own parameter names with dots made
 * underscores, and kohya's LDM names ({@code lora_unet_input_blocks_1_1_…}) through {@link LdmNames}. A layer whose
 * delta does not have the weight's shape is left out with both shapes named.
 */
public final class LoraMatcher {
  private static final Pattern LDM_BLOCK = Pattern.compile("(input_blocks|output_blocks)_(\\d+)_(\\d+)(?:_(.+))?");
  private static final Pattern LDM_MIDDLE = Pattern.compile("middle_block_(\\d+)_(.+)");
  private static final Pattern LDM_TOP = Pattern.compile("(time_embed|out)_(\\d+)");
  private static final String[][] LDM_RESNET = {{"in_layers_0", "in_layers.0"}, {"in_layers_2", "in_layers.2"},
      {"out_layers_0", "out_layers.0"}, {"out_layers_3", "out_layers.3"}, {"emb_layers_1", "emb_layers.1"}};

  private LoraMatcher() {}

  /**
   * @param unet the UNet's weights
   * @param text the text encoder's weights, or null when the loader applies the LoRA to the model only
   * @throws LoraException if no layer fits the model: the message says what the file looks made for
   */
  public static LoraMatch match(LoraFile file, LoraTargets unet, LoraTargets text) throws LoraException {
    Index unetIndex = new Index(unet);
    Index textIndex = text == null ? null : new Index(text);
    List<LoraMatch.Applied> applied = new ArrayList<>();
    List<LoraMatch.LeftOut> leftOut = new ArrayList<>();
    int notAsked = 0;
    for (LoraLayer layer : file.layers()) {
      Index index = layer.part() == LoraPart.UNET ? unetIndex : textIndex;
      if (index == null) {
        notAsked++;
        continue;
      }
      String param = index.find(layer);
      if (param == null) {
        leftOut.add(new LoraMatch.LeftOut(layer.key(), "the " + layer.part().label() + " has no such layer"));
        continue;
      }
      long[] shape = index.targets.shapes().get(param);
      if (!fits(layer, shape)) {
        leftOut.add(new LoraMatch.LeftOut(layer.key(), "it changes a " + Arrays.toString(layer.deltaShape())
            + " weight, the model's " + param + " is " + Arrays.toString(shape)));
        continue;
      }
      applied.add(new LoraMatch.Applied(layer, param));
    }
    for (String other : file.otherKeys()) {
      leftOut.add(new LoraMatch.LeftOut(other, "not a LoRA weight"));
    }
    LoraMatch m = new LoraMatch(file, applied, leftOut, notAsked);
    if (applied.isEmpty()) {
      if (notAsked > 0 && notAsked == file.layers().size()) {
        throw new LoraException(file.path() + " changes only the text encoder (" + notAsked + " keys), and this "
            + "loader applies LoRAs to the model only; use Load LoRA, which takes the CLIP too");
      }
      throw new LoraException(file.path() + " (" + file.format() + " LoRA, " + m.total() + " keys) matches none "
          + "of the weights of " + unet.model() + ": " + LoraGuess.explain(file, unet, text) + ". First keys left "
          + "out: " + m.leftOutList(3));
    }
    return m;
  }

  /** The delta must have the weight's output rows and, over the rest of its axes, as many values. */
  static boolean fits(LoraLayer layer, long[] shape) {
    if (shape.length < 2 || shape[0] != layer.outFeatures()) {
      return false;
    }
    long in = 1;
    for (int i = 1; i < shape.length; i++) {
      in *= shape[i];
    }
    if (in != layer.inFeatures()) {
      return false;
    }
    long[] d = layer.down().shape();
    // a 3x3 LoCon must meet a 3x3 kernel, not a weight whose in × kh × kw happens to be the same
    return shape.length != 4 || d.length != 4 || (shape[2] == d[2] && shape[3] == d[3]);
  }

  /** The model's parameters by the names each LoRA format uses for them. */
  private static final class Index {
    final LoraTargets targets;
    final Map<String, String> byKohyaName = new HashMap<>();
    final int layersPerBlock;

    Index(LoraTargets targets) {
      this.targets = targets;
      for (String param : targets.shapes().keySet()) {
        if (param.endsWith(".weight")) {
          byKohyaName.put(LoraKeys.kohya(param.substring(0, param.length() - ".weight".length())), param);
        }
      }
      layersPerBlock = targets.layersPerBlock();
    }

    String find(LoraLayer layer) {
      if (!layer.kohya()) {
        String param = layer.module() + ".weight";
        return targets.shapes().containsKey(param) ? param : null;
      }
      String param = byKohyaName.get(layer.module());
      if (param == null && targets.part() == LoraPart.UNET) {
        String diffusers = fromLdm(layer.module(), layersPerBlock);
        param = diffusers == null ? null : byKohyaName.get(LoraKeys.kohya(diffusers));
      }
      return param;
    }
  }

  /**
   * A kohya LDM-style UNet name ({@code input_blocks_1_1_transformer_blocks_0_attn1_to_q}) as a diffusers module
   * path whose tail may still have underscores for dots; null if it is no LDM name.
   */
  static String fromLdm(String module, int layersPerBlock) {
    String ldm;
    Matcher m = LDM_BLOCK.matcher(module);
    Matcher mid = LDM_MIDDLE.matcher(module);
    Matcher top = LDM_TOP.matcher(module);
    if (m.matches()) {
      ldm = m.group(1) + "." + m.group(2) + "." + m.group(3) + (m.group(4) == null ? "" : "." + resnet(m.group(4)));
    } else if (mid.matches()) {
      ldm = "middle_block." + mid.group(1) + "." + resnet(mid.group(2));
    } else if (top.matches()) {
      ldm = top.group(1) + "." + top.group(2);
    } else {
      return null;
    }
    String diffusers = LdmNames.unet(ldm + ".weight", layersPerBlock);
    return diffusers == null ? null : diffusers.substring(0, diffusers.length() - ".weight".length());
  }

  private static String resnet(String rest) {
    for (String[] r : LDM_RESNET) {
      if (rest.equals(r[0])) {
        return r[1];
      }
    }
    return rest;
  }
}
