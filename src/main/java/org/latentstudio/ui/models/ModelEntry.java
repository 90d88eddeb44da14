package org.latentstudio.ui.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One model found on disk.
 *
 * @param kind the file kind that loader inputs declare ({@code InputSpec.fileKind}): "checkpoint", "lora",
 *             "controlnet"
 * @param name what a loader widget stores: the folder or file name, relative to its models folder
 * @param path where it is
 */
public record ModelEntry(String kind, String name, Path path) {
  public ModelEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }
}
