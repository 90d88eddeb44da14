package org.latentstudio.ui.models;

import java.util.List;

/**
 * The models the studio can load, for the models panel and for file widgets. The studio scans folders itself
 * ({@link FolderModelCatalog}) until the runtime layer offers its own model registry, which can then take its
 * place behind this interface.
 */
public interface ModelCatalog {
  /** Looks at the model folders again and returns what is there, by kind then name. */
  List<ModelEntry> scan();

  ModelCatalog NONE = List::of;
}
