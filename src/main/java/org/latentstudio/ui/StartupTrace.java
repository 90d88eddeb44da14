package org.latentstudio.ui;

import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import org.latentstudio.app.StartupClock;

/**
 * The studio's points for {@link StartupClock}: the window with the graph laid out for its first frame, and the
 * first finished picture. The README's studio start-up figures come from these lines.
 */
final class StartupTrace {
  private StartupTrace() {}

  static void attach(StudioWindow window) {
    Scene scene = window.stage().getScene();
    Runnable[] graphShown = new Runnable[1];
    graphShown[0] = () -> {
      if (!window.document().graph().nodes().isEmpty()) {
        scene.removePostLayoutPulseListener(graphShown[0]);
        StartupClock.mark("window with the graph");
      }
    };
    scene.addPostLayoutPulseListener(graphShown[0]);
    window.runs().gallery().addListener(new ListChangeListener<Object>() {
      @Override
      public void onChanged(Change<?> c) {
        window.runs().gallery().removeListener(this);
        StartupClock.mark("first picture");
      }
    });
  }
}
