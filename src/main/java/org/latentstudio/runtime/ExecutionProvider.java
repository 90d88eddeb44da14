package org.latentstudio.runtime;

/**
 * Where models run, and why: CUDA when this build has it and the CUDA libraries load, else the CPU with the
 * reason, so a user who expected the GPU learns what is missing.
 */
public record ExecutionProvider(Kind kind, int deviceId, String reason) {
  public enum Kind { CUDA, CPU }

  public String describe() {
    return kind == Kind.CUDA ? "ONNX Runtime: CUDA execution provider on GPU " + deviceId
        : "ONNX Runtime: CPU execution provider (" + reason + ")";
  }

  /** Where the models run, without the why: "the CPU" or "GPU 0". */
  public String where() {
    return kind == Kind.CUDA ? "GPU " + deviceId : "the CPU";
  }
}
