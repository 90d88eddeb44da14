package org.latentstudio.lora;

/** The parts of a Stable Diffusion model a LoRA changes. */
public enum LoraPart {
  UNET("UNet"),
  TEXT_ENCODER("text encoder");

  private final String label;

  LoraPart(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
