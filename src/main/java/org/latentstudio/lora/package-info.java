/**
 * LoRA files: reading the kohya, diffusers/PEFT and older diffusers key formats ({@link org.latentstudio.lora.LoraFile}),
 * finding the model weight each layer changes ({@link org.latentstudio.lora.LoraMatcher}), and the deltas
 * ({@link org.latentstudio.lora.LoraDelta}). Nothing here touches ONNX Runtime: the runtime merges the deltas into the
 * weights of a session it builds ({@code runtime.WeightOverrides}).
 */
package org.latentstudio.lora;
