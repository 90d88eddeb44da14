package org.latentstudio.ui.models;

import java.util.List;
import java.util.Locale;
import org.latentstudio.runtime.ModelLibrary;

/**
 * The models panel's view of the runtime's {@link ModelLibrary}: the same folders and rules the loader nodes use
 * to resolve a model name, so what the panel lists is what a workflow can load.
 */
public final class LibraryModelCatalog implements ModelCatalog {
  private final ModelLibrary library;

  public LibraryModelCatalog(ModelLibrary library) {
    this.library = library;
  }

  /** The file kind that loader inputs declare for a library kind: "checkpoint", "lora", "controlnet". */
  public static String kindName(ModelLibrary.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<ModelEntry> scan() {
    return library.scan().stream().map(e -> new ModelEntry(kindName(e.kind()), e.name(), e.path())).toList();
  }

  @Override
  public List<java.nio.file.Path> folders() {
    return library.dirs();
  }
}
