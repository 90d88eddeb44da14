package org.latentstudio.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With {@code -Dlatentstudio.trace.startup=true}, prints to stderr when a start reaches each of its points,
 * counted from the start of the process (launcher and JVM start included), e.g.
 * {@code startup: main at 212 ms}. The README's cold-start breakdown comes from these lines; without the
 * property nothing is printed and nothing is measured.
 */
public final class StartupClock {
  private static final boolean ON = Boolean.getBoolean("latentstudio.trace.startup");
  /** System.nanoTime() at the process start. */
  private static final long START = ON ? processStart() : 0;

  private StartupClock() {}

  public static boolean enabled() {
    return ON;
  }

  public static void mark(String what) {
    if (ON) {
      System.err.println("startup: " + what + " at " + (System.nanoTime() - START) / 1_000_000 + " ms");
    }
  }

  /**
   * On Linux, from the process's start in clock ticks since boot (/proc/self/stat) and the time since boot
   * (/proc/uptime), both to 10 ms. ProcessHandle's start instant adds the boot time, which Linux gives in whole
   * seconds, so it was up to a second off. Elsewhere, ProcessHandle's.
   */
  private static long processStart() {
    long now = System.nanoTime();
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double startedSeconds = Long.parseLong(fields[19]) / 100.0; // field 22, in USER_HZ (100 on Linux)
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return now - (long) ((uptime - startedSeconds) * 1e9);
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().info().startInstant()
          .map(i -> now - java.time.Duration.between(i, java.time.Instant.now()).toNanos()).orElse(now);
    }
  }
}
