package org.latentstudio.ui;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import javafx.stage.Window;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.ui.models.ModelCatalog;

/**
 * What the studio window is built from, so that tests can give it their own node types, folders and scripted
 * dialogs.
 *
 * @param defaultWorkflow opened at start when there is nothing to restore; may not exist
 * @param dialogs         makes the dialogs for the window once it exists
 * @param previewEvery    a live preview every this many sampler steps; 0 turns previews off
 * @param autosaveSeconds how often the recovery copy is written; 0 turns it off
 * @param notifications   whether to show pop-up notifications (off in tests)
 */
public record StudioConfig(
    NodeRegistry registry,
    Executor executor,
    Path userDir,
    Path outputDir,
    Path defaultWorkflow,
    ModelCatalog models,
    Function<Window, Dialogs> dialogs,
    DesktopActions desktop,
    int previewEvery,
    int autosaveSeconds,
    boolean notifications) {

  public StudioConfig {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(userDir, "userDir");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(dialogs, "dialogs");
    Objects.requireNonNull(desktop, "desktop");
  }

  public StudioConfig withDefaultWorkflow(Path p) {
    return new StudioConfig(registry, executor, userDir, outputDir, p, models, dialogs, desktop, previewEvery,
        autosaveSeconds, notifications);
  }

  public StudioConfig withAutosaveSeconds(int s) {
    return new StudioConfig(registry, executor, userDir, outputDir, defaultWorkflow, models, dialogs, desktop,
        previewEvery, s, notifications);
  }
}
