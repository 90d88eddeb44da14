package org.latentstudio.lora;

import java.util.ArrayList;
import java.util.List;

/**
 * Which layers of a LoRA file found a weight in the model, and why the others did not: what a user needs to act on
 * a partial match, instead of a bare "lora key not loaded".
 *
 * @param applied   layers matched to a weight, per part
 * @param leftOut   keys that match no weight, each with the reason
 * @param notAsked  text-encoder layers the loader was not asked to apply (model-only loader)
 */
public record LoraMatch(LoraFile file, List<Applied> applied, List<LeftOut> leftOut, int notAsked) {
  public LoraMatch {
    applied = List.copyOf(applied);
    leftOut = List.copyOf(leftOut);
  }

  /** A layer and the model parameter it changes. */
  public record Applied(LoraLayer layer, String param) {}

  /** A key that changes nothing, and why. */
  public record LeftOut(String key, String reason) {}

  /** Every key of the file that could change a weight: its layers and any other tensors. */
  public int total() {
    return file.layers().size() + file.otherKeys().size();
  }

  public List<Applied> applied(LoraPart part) {
    return applied.stream().filter(a -> a.layer().part() == part).toList();
  }

  /** "matched 64 of 64 keys (UNet 48, text encoder 16)", with what was left out or not asked for. */
  public String summary() {
    int unet = applied(LoraPart.UNET).size();
    int text = applied(LoraPart.TEXT_ENCODER).size();
    List<String> parts = new ArrayList<>();
    if (unet > 0) {
      parts.add("UNet " + unet);
    }
    if (text > 0) {
      parts.add("text encoder " + text);
    }
    StringBuilder sb = new StringBuilder("matched ").append(applied.size()).append(" of ").append(total())
        .append(" keys");
    if (!parts.isEmpty()) {
      sb.append(" (").append(String.join(", ", parts)).append(')');
    }
    if (notAsked > 0) {
      sb.append("; ").append(notAsked).append(" text-encoder keys not applied by the model-only loader");
    }
    return sb.toString();
  }

  /** The keys left out, each with its reason, at most {@code limit} of them. */
  public String leftOutList(int limit) {
    List<String> lines = new ArrayList<>();
    for (LeftOut l : leftOut.subList(0, Math.min(limit, leftOut.size()))) {
      lines.add(l.key() + " (" + l.reason() + ")");
    }
    if (leftOut.size() > limit) {
      lines.add("... and " + (leftOut.size() - limit) + " more");
    }
    return String.join(", ", lines);
  }
}
