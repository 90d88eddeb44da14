package org.latentstudio.ui.models;

import java.util.List;

/**
 * The models the studio can load, for the models panel and for file and model widgets. The studio uses the
 * runtime's model library ({@link LibraryModelCatalog}); tests give their own list.
 */
public interface ModelCatalog {
  /** Looks at the model folders again and returns what is there, by kind then name. */
  List<ModelEntry> scan();

  /** The folders it looks in, to tell the user where to put models. */
  default List<java.nio.file.Path> folders() {
    return List.of();
  }

  ModelCatalog NONE = List::of;
}
