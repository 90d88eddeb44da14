package org.latentstudio.app;

import java.time.Duration;
import java.time.Instant;

/**
 * With {@code -Dlatentstudio.trace.startup=true}, prints to stderr when a start reaches each of its points,
 * counted from the start of the process (launcher and JVM start included), e.g.
 * {@code startup: main at 212 ms}. The README's cold-start breakdown comes from these lines; without the
 * property nothing is printed and nothing is measured.
 */
public final class StartupClock {
  private static final boolean ON = Boolean.getBoolean("latentstudio.trace.startup");
  private static final Instant START = ON
      ? ProcessHandle.current().info().startInstant().orElse(Instant.now()) : Instant.EPOCH;

  private StartupClock() {}

  public static boolean enabled() {
    return ON;
  }

  public static void mark(String what) {
    if (ON) {
      System.err.println("startup: " + what + " at " + Duration.between(START, Instant.now()).toMillis() + " ms");
    }
  }
}
