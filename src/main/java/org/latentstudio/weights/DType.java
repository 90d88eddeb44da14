package org.latentstudio.weights;

import java.util.Locale;
import java.util.Optional;

/**
 * The element types a weight file can declare, with safetensors' names and ONNX's type numbers. Only the float
 * types F32, F16 and BF16 are read as weights; the others are recognised so a message can name them.
 */
public enum DType {
  F64(8, 11), F32(4, 1), F16(2, 10), BF16(2, 16), F8_E4M3(1, 17), F8_E5M2(1, 19),
  I64(8, 7), I32(4, 6), I16(2, 5), I8(1, 3), U64(8, 13), U32(4, 12), U16(2, 4), U8(1, 2), BOOL(1, 9);

  private final int bytes;
  private final int onnxType;

  DType(int bytes, int onnxType) {
    this.bytes = bytes;
    this.onnxType = onnxType;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The ONNX TensorProto.DataType number. */
  public int onnxType() {
    return onnxType;
  }

  /** Whether the compiler can use tensors of this type as float weights. */
  public boolean isFloatWeight() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The type with safetensors' name ("F16", "BF16", ...), if it is one we know. */
  public static Optional<DType> bySafetensorsName(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The lower-case spelling used in messages and in PyTorch ("float16"). */
  public String torchName() {
    return switch (this) {
      case F64 -> "float64";
      case F32 -> "float32";
      case F16 -> "float16";
      case BF16 -> "bfloat16";
      default -> name().toLowerCase(Locale.ROOT);
    };
  }
}
