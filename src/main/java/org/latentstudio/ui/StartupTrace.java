package org.latentstudio.ui;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;

/**
 * With {@code -Dlatentstudio.trace.startup=true}, prints when the studio reached each point of its start,
 * counted from the start of the process (the launcher included): the window with the graph laid out for its
 * first frame, and the first finished picture. The README's start-up figures come from these lines.
 */
final class StartupTrace {
  private StartupTrace() {}

  static void attach(StudioWindow window, PrintStream out) {
    Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    Scene scene = window.stage().getScene();
    Runnable[] graphShown = new Runnable[1];
    graphShown[0] = () -> {
      if (!window.document().graph().nodes().isEmpty()) {
        scene.removePostLayoutPulseListener(graphShown[0]);
        out.println("startup: window with the graph at " + since(start) + " ms");
      }
    };
    scene.addPostLayoutPulseListener(graphShown[0]);
    window.runs().gallery().addListener(new ListChangeListener<Object>() {
      @Override
      public void onChanged(Change<?> c) {
        window.runs().gallery().removeListener(this);
        out.println("startup: first picture at " + since(start) + " ms");
      }
    });
  }

  private static long since(Instant start) {
    return Duration.between(start, Instant.now()).toMillis();
  }
}
