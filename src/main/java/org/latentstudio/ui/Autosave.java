package org.latentstudio.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;
import org.latentstudio.io.IoErrors;
import org.latentstudio.io.Workflow;
import org.latentstudio.ui.files.Recovery;

/**
 * The recovery copy. Every few seconds ({@link StudioConfig#autosaveSeconds()}) an unsaved document that changed
 * is written to the user folder on a background thread, so a crash loses little work and the next start can
 * offer it back; saving, or closing cleanly, discards it. The writes happen in order on one thread, and closing
 * waits for the last of them.
 */
final class Autosave {
  private final Document doc;
  private final Recovery recovery;
  private final Supplier<Workflow> snapshot;
  private final Consumer<String> status;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "latentstudio-autosave");
    t.setDaemon(true);
    return t;
  });
  private Timeline timer;
  private long autosavedRevision = Long.MIN_VALUE;

  /**
   * @param snapshot the document as it would be saved, with its view
   * @param status shows a message in the status bar
   */
  Autosave(Document doc, Recovery recovery, Supplier<Workflow> snapshot, Consumer<String> status) {
    this.doc = doc;
    this.recovery = recovery;
    this.snapshot = snapshot;
    this.status = status;
  }

  Recovery recovery() {
    return recovery;
  }

  /** Writes every {@code seconds} from now on; nothing when it is 0 or less. */
  void start(int seconds) {
    if (seconds > 0) {
      timer = new Timeline(new KeyFrame(Duration.seconds(seconds), e -> now()));
      timer.setCycleCount(Timeline.INDEFINITE);
      timer.play();
    }
  }

  /** Writes the recovery copy if the document changed since the last one. */
  void now() {
    long rev = doc.revision();
    if (rev == autosavedRevision) {
      return;
    }
    autosavedRevision = rev;
    if (!doc.isDirty()) {
      background.execute(recovery::discard);
      return;
    }
    Workflow workflow = snapshot.get();
    Path original = doc.file();
    background.execute(() -> {
      try {
        recovery.save(workflow, original);
      } catch (IOException e) {
        Platform.runLater(() -> status.accept("Could not write the recovery copy: " + IoErrors.reasonAt(e)));
      }
    });
  }

  /** The document was saved: the copy is not needed, and this revision need not be written. */
  void saved() {
    recovery.discard();
    autosavedRevision = doc.revision();
  }

  /** Waits until pending recovery writes are on disk (tests). */
  void flush() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    background.execute(done::countDown);
    done.await(10, TimeUnit.SECONDS);
  }

  void stopTimer() {
    if (timer != null) {
      timer.stop();
    }
  }

  /** A clean close: the last write finishes, then the copy goes. */
  void close() {
    background.shutdown();
    try {
      // a recovery write still under way must not land after the discard and be offered at the next start
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recovery.discard();
  }
}
