package org.latentstudio.compiler;

/**
 * How to compile a component. Part of a compiled graph's identity (the graph cache key).
 *
 * @param float16        compute in float16 (for CUDA); the CPU computes in float32 whatever the file stores
 * @param fusedAttention ONNX Runtime's fused {@code com.microsoft.MultiHeadAttention} instead of spelt-out
 *                       MatMul/Softmax/MatMul
 */
public record CompileOptions(boolean float16, boolean fusedAttention) {
  /** What the CPU runs best: float32 arithmetic. */
  public static CompileOptions cpu() {
    return new CompileOptions(false, false);
  }

  int computeType() {
    return float16 ? OnnxGraph.FLOAT16 : OnnxGraph.FLOAT;
  }

  String key() {
    return (float16 ? "fp16" : "fp32") + (fusedAttention ? "-mha" : "");
  }
}
