package org.latentstudio.ui;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.latentstudio.app.ErrorLog;

/**
 * What the studio does with an exception nothing caught (a bug in a handler, a background task): without this,
 * JavaFX prints it to a terminal that a studio started from the desktop's menu does not have, and the user only
 * sees that a click did nothing. Each one is written to the {@link ErrorLog} and to the standard error; the first
 * of a kind (its type and where it was thrown) opens a dialog that says what happened and where the report is;
 * the same again, which can repeat many times a second in a layout or paint, only updates the status bar.
 */
public final class UnexpectedErrors implements Thread.UncaughtExceptionHandler {
  private final ErrorLog log;
  private final Dialogs dialogs;
  private final Consumer<String> status;
  private final Set<String> shown = new HashSet<>();
  private int count;

  public UnexpectedErrors(ErrorLog log, Dialogs dialogs, Consumer<String> status) {
    this.log = log;
    this.dialogs = dialogs;
    this.status = status;
  }

  /** Makes this the handler of every thread that has none of its own, the FX thread included. */
  public void install() {
    Thread.setDefaultUncaughtExceptionHandler(this);
  }

  @Override
  public void uncaughtException(Thread thread, Throwable error) {
    System.err.println("Unexpected error in thread \"" + thread.getName() + "\":");
    error.printStackTrace();
    boolean logged = log.record(thread, error);
    try {
      Platform.runLater(() -> tell(error, logged));
    } catch (IllegalStateException e) {
      // the FX toolkit is gone (the studio is closing): the report is in the log
    }
  }

  /** On the FX thread. */
  private void tell(Throwable error, boolean logged) {
    count++;
    String summary = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    String where = logged ? "The details are in " + log.file() + "; please attach them to a bug report."
        : "The details could not be written to " + log.file() + "; they were printed to the standard error.";
    StackTraceElement[] trace = error.getStackTrace();
    String kind = error.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
    if (shown.add(kind)) {
      status.accept("Unexpected error: " + summary);
      dialogs.error("Something went wrong", "Latent Studio hit an unexpected error: " + summary + "\n\n"
          + "What you were doing may not have finished. Your workflow is kept (autosave and recovery); if the studio "
          + "misbehaves, save your work and restart it.\n\n" + where);
    } else {
      status.accept("Unexpected error again (" + count + " this session): " + summary + ". " + where);
    }
  }
}
