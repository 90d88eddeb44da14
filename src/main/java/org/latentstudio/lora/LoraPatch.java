package org.latentstudio.lora;

import java.util.List;

/**
 * One LoRA applied to one model part at a strength: the layers matched to that part's weights. Sessions are told
 * apart by {@link #key()}: the file's fingerprint and the strength.
 */
public record LoraPatch(LoraFile file, double strength, List<LoraMatch.Applied> layers) {
  public LoraPatch {
    layers = List.copyOf(layers);
  }

  /** The part's layers of a match, at a strength. */
  public static LoraPatch of(LoraMatch match, LoraPart part, double strength) {
    return new LoraPatch(match.file(), strength, match.applied(part));
  }

  public String key() {
    return file.fingerprint() + "@" + strength;
  }
}
