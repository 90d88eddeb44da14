package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.latentstudio.app.ErrorLog;

/**
 * A bug that nothing catches, on the FX thread or a background one, is told to the user once per kind, with where
 * its report is, and written to the error log; the studio goes on working.
 */
class UnexpectedErrorsTest extends StudioTestBase {
  private Thread.UncaughtExceptionHandler before;

  @BeforeEach
  void keepTheHandler() {
    before = Thread.getDefaultUncaughtExceptionHandler();
  }

  @AfterEach
  void restoreTheHandler() {
    Thread.setDefaultUncaughtExceptionHandler(before);
  }

  @Test
  void aBugIsToldOnceAndLoggedEachTime() throws Exception {
    ErrorLog log = ErrorLog.in(tmp.resolve("user"));
    new UnexpectedErrors(log, dialogs, studio::status).install();
    Runnable handlerBug = () -> {
      throw new IllegalStateException("a handler's bug");
    };

    Platform.runLater(handlerBug);
    waitUntil("the dialog", () -> dialogs.errors.size() == 1);
    String told = dialogs.errors.get(0);
    assertTrue(told.contains("IllegalStateException: a handler's bug"), told);
    assertTrue(told.contains(log.file().toString()), told);

    Platform.runLater(handlerBug); // the same bug again: no second dialog, the status bar counts it
    waitUntil("the status", () -> fx(studio::statusText).contains("again (2 this session)"));
    assertEquals(1, dialogs.errors.size());

    Thread worker = new Thread(() -> {
      throw new ArithmeticException("a background task's bug");
    }, "preview worker");
    worker.start();
    worker.join();
    waitUntil("the second dialog", () -> dialogs.errors.size() == 2);
    assertTrue(dialogs.errors.get(1).contains("ArithmeticException: a background task's bug"));

    String report = Files.readString(log.file());
    assertEquals(2, report.split("a handler's bug", -1).length - 1, report);
    assertTrue(report.contains("thread \"JavaFX Application Thread\""), report);
    assertTrue(report.contains("thread \"preview worker\""), report);
    assertTrue(report.contains("at org.latentstudio.ui.UnexpectedErrorsTest"), "with the stack trace: " + report);
    // the studio still answers
    fx(() -> studio.status("still here"));
    assertEquals("still here", fx(studio::statusText));
  }

  @Test
  void theLogIsKeptUnderItsLimitByStartingAgain() throws Exception {
    ErrorLog log = ErrorLog.in(tmp.resolve("user"));
    Throwable big = new IllegalStateException("x".repeat(100_000));
    for (int i = 0; i < 12; i++) {
      assertTrue(log.record(Thread.currentThread(), big));
    }
    Path older = log.file().resolveSibling("errors.log.1");
    assertTrue(Files.size(log.file()) <= ErrorLog.MAX_BYTES + 200_000, "size " + Files.size(log.file()));
    assertTrue(Files.size(older) > ErrorLog.MAX_BYTES);
    assertFalse(Files.exists(log.file().resolveSibling("errors.log.2")));
  }

  @Test
  void aLogThatCannotBeWrittenIsSaidSo() throws Exception {
    Path blocked = tmp.resolve("blocked");
    Files.writeString(blocked, "a file where the folder should be");
    ErrorLog log = ErrorLog.in(blocked);
    new UnexpectedErrors(log, dialogs, studio::status).install();
    Platform.runLater(() -> {
      throw new IllegalStateException("with nowhere to log");
    });
    waitUntil("the dialog", () -> dialogs.errors.size() == 1);
    assertTrue(dialogs.errors.get(0).contains("could not be written to " + log.file()), dialogs.errors.get(0));
  }
}
