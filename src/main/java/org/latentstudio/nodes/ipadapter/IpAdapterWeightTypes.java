package org.latentstudio.nodes.ipadapter;

import java.util.List;
import org.latentstudio.checkpoint.UNetConfig;
import org.latentstudio.compiler.CrossAttentionLayers;
import org.latentstudio.compiler.CrossAttentionLayers.Layer;
import org.latentstudio.compiler.CrossAttentionLayers.Part;

/**
 * ComfyUI_IPAdapter_plus's weight types: how the weight is spread over the cross-attention layers, indexed in
 * forward order as its {@code transformer_index} (SD1.5: 0–5 input, 6 middle, 7–15 output; L = 16 layers).
 * <ul>
 *   <li>linear: the weight everywhere; ease in: × (0.05 + 0.95·(1 − t/L)); ease out: × (0.05 + 0.95·t/L);
 *       ease in-out and reverse in-out: by the distance from the middle layer;
 *   <li>weak input / output / middle: × 0.2 in that part; strong middle: × 0.2 outside the middle;
 *   <li>style transfer (SD1.5: layers 0–3 and 9–15), composition (4 × 0.25, 5), strong style transfer (all but 4
 *       and 5). For other UNet shapes these follow the same parts of the network: "composition" is the deepest
 *       cross-attention level of the input blocks; style transfer leaves out that level, the middle, and the
 *       mirrored output level but for its last layer.
 * </ul>
 */
public final class IpAdapterWeightTypes {
  public static final List<String> NAMES = List.of("linear", "ease in", "ease out", "ease in-out", "reverse in-out",
      "weak input", "weak output", "weak middle", "strong middle", "style transfer", "composition",
      "strong style transfer");

  private IpAdapterWeightTypes() {}

  /** The scale of every cross-attention layer, in forward order. */
  public static float[] scales(String type, double weight, UNetConfig c) {
    List<Layer> layers = CrossAttentionLayers.of(c);
    int n = layers.size();
    double half = n / 2.0;
    int deepest = -1;
    for (int i = 0; i < c.levels(); i++) {
      if (c.crossAttnBlocks()[i]) {
        deepest = i;
      }
    }
    String deepDown = "down_blocks." + deepest + ".";
    String deepUp = "up_blocks." + (c.levels() - 1 - deepest) + ".";
    String lastDeepUp = deepUp + "attentions." + c.layersPerBlock()[deepest] + ".";
    String lastDeepDown = deepDown + "attentions." + (c.layersPerBlock()[deepest] - 1) + ".";
    float[] out = new float[n];
    for (Layer layer : layers) {
      double t = layer.index();
      boolean composition = layer.prefix().startsWith(deepDown);
      boolean mirrored = layer.prefix().startsWith(deepUp) && !layer.prefix().startsWith(lastDeepUp);
      double w = switch (type) {
        case "linear" -> weight;
        case "ease in" -> weight * (0.05 + 0.95 * (1 - t / n));
        case "ease out" -> weight * (0.05 + 0.95 * (t / n));
        case "ease in-out" -> weight * (0.05 + 0.95 * (1 - Math.abs(t - half) / half));
        case "reverse in-out" -> weight * (0.05 + 0.95 * (Math.abs(t - half) / half));
        case "weak input" -> layer.part() == Part.INPUT ? weight * 0.2 : weight;
        case "weak output" -> layer.part() == Part.OUTPUT ? weight * 0.2 : weight;
        case "weak middle" -> layer.part() == Part.MIDDLE ? weight * 0.2 : weight;
        case "strong middle" -> layer.part() != Part.MIDDLE ? weight * 0.2 : weight;
        case "style transfer" -> composition || layer.part() == Part.MIDDLE || mirrored ? 0 : weight;
        case "composition" -> !composition ? 0 : layer.prefix().startsWith(lastDeepDown) ? weight : weight * 0.25;
        case "strong style transfer" -> composition ? 0 : weight;
        default -> throw new IllegalArgumentException("weight_type '" + type + "' is not one of " + NAMES);
      };
      out[layer.index()] = (float) w;
    }
    return out;
  }
}
