package org.latentstudio.ui;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.latentstudio.app.Settings;

/** Dialog answers given in advance by a test; records what was asked. */
public final class ScriptedDialogs implements Dialogs {
  public final Deque<SaveChoice> discardAnswers = new ArrayDeque<>();
  public final Deque<Boolean> recoveryAnswers = new ArrayDeque<>();
  public final Deque<Path> files = new ArrayDeque<>();
  public final List<String> asked = new ArrayList<>();
  public final List<String> errors = new ArrayList<>();
  public final Deque<Settings> settingsAnswers = new ArrayDeque<>();

  @Override
  public SaveChoice confirmDiscard(String documentName) {
    asked.add("discard " + documentName);
    return discardAnswers.isEmpty() ? SaveChoice.CANCEL : discardAnswers.poll();
  }

  @Override
  public boolean offerRecovery(String description) {
    asked.add("recovery " + description);
    return !recoveryAnswers.isEmpty() && recoveryAnswers.poll();
  }

  @Override
  public Optional<Path> chooseOpen(Path initialDir) {
    asked.add("open");
    return Optional.ofNullable(files.poll());
  }

  @Override
  public Optional<Path> chooseSave(Path initialDir, String suggestedName) {
    asked.add("save " + suggestedName);
    return Optional.ofNullable(files.poll());
  }

  @Override
  public Optional<Path> chooseFile(String kind, Path initialDir) {
    asked.add("file " + kind);
    return Optional.ofNullable(files.poll());
  }

  @Override
  public Optional<Settings> editSettings(Settings current, Path defaultOutput) {
    asked.add("preferences");
    return Optional.ofNullable(settingsAnswers.poll());
  }

  @Override
  public void error(String title, String message) {
    errors.add(title + ": " + message);
  }
}
