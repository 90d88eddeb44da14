package org.latentstudio.interop.comfy;

import java.util.Optional;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;

/** Checks the model names a ComfyUI workflow asks for against the models folders, at import. */
public interface ModelNames {
  /** Why the checkpoint cannot be found, or empty when it can. */
  Optional<String> checkCheckpoint(String name);

  /**
   * The name to use for ComfyUI's ckpt_name: itself when it is found (a .safetensors file in a models folder or
   * its checkpoints/ folder), else the name without its extension when that is found (the same model as a
   * diffusers or ONNX folder), else itself, so the problem names what the workflow asked for.
   */
  default String preferred(String comfyName) {
    if (checkCheckpoint(comfyName).isEmpty()) {
      return comfyName;
    }
    String stripped = withoutExtension(comfyName);
    return !stripped.equals(comfyName) && checkCheckpoint(stripped).isEmpty() ? stripped : comfyName;
  }

  static String withoutExtension(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String ext : new String[] {".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".onnx", ".sft"}) {
      if (lower.endsWith(ext)) {
        return name.substring(0, name.length() - ext.length());
      }
    }
    return name;
  }

  static ModelNames of(ModelLibrary library) {
    return name -> {
      try {
        library.resolveCheckpoint(name);
        return Optional.empty();
      } catch (ModelException e) {
        return Optional.of(e.getMessage());
      }
    };
  }
}
