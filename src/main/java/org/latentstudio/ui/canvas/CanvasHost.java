package org.latentstudio.ui.canvas;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the canvas asks of the window around it. */
public interface CanvasHost {
  /** The names a file or model widget offers for a kind ("checkpoint"). */
  List<String> files(String kind);

  /** A file chosen by the user for a widget of this kind. */
  Optional<String> browse(String kind);

  /** A short message for the status bar. */
  void status(String message);

  /** Files dropped on the canvas: workflows and pictures with a workflow inside. */
  void filesDropped(List<Path> files);

  CanvasHost NONE = new CanvasHost() {
    @Override
    public List<String> files(String kind) {
      return List.of();
    }

    @Override
    public Optional<String> browse(String kind) {
      return Optional.empty();
    }

    @Override
    public void status(String message) {}

    @Override
    public void filesDropped(List<Path> files) {}
  };
}
