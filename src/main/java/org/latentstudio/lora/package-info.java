/**
 * LoRA files: reading the kohya, diffusers/PEFT and older diffusers key formats ({@link org.latentstudio.lora.LoraFile}),
 * and finding the model weight each layer changes ({@link org.latentstudio.lora.LoraMatcher}). Nothing here touches
 * ONNX Runtime: the runtime computes each layer's delta and merges it into the weights of a session it builds
 * ({@code runtime.WeightOverrides}, with the arithmetic in ONNX Runtime).
 */
package org.latentstudio.lora;
