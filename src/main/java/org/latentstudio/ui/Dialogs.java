package org.latentstudio.ui;

import java.nio.file.Path;
import java.util.Optional;
import org.latentstudio.app.Settings;

/** The questions the studio asks its user. Tests answer them with a script instead of windows. */
public interface Dialogs {
  enum SaveChoice { SAVE, DISCARD, CANCEL }

  /** The document has unsaved changes; save them first? */
  SaveChoice confirmDiscard(String documentName);

  /** A recovery copy from a crashed session exists; restore it? */
  boolean offerRecovery(String description);

  Optional<Path> chooseOpen(Path initialDir);

  Optional<Path> chooseSave(Path initialDir, String suggestedName);

  /** A file for a file widget of this kind ("image"). */
  Optional<Path> chooseFile(String kind, Path initialDir);

  void error(String title, String message);

  /** Preferences: the settings as edited, or empty when cancelled. */
  Optional<Settings> editSettings(Settings current, Path defaultOutput);
}
