package org.latentstudio.interop.comfy;

import java.util.Optional;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;

/** Checks the model names a ComfyUI workflow asks for against the models folders, at import. */
public interface ModelNames {
  /** Why the checkpoint cannot be found, or empty when it can. */
  Optional<String> checkCheckpoint(String name);

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
