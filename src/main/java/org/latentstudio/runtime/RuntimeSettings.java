package org.latentstudio.runtime;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How ONNX Runtime is set up.
 *
 * @param preferCuda         use the CUDA execution provider when the build and the machine allow it
 * @param cudaDevice         which GPU
 * @param sessionBudgetBytes loaded models beyond this size are unloaded, least recently used first
 * @param intraOpThreads     threads per model run; the physical core count by default
 * @param spinWait           let ONNX Runtime's idle threads spin between runs (off by default)
 */
public record RuntimeSettings(boolean preferCuda, int cudaDevice, long sessionBudgetBytes, int intraOpThreads,
    boolean spinWait) {

  /**
   * From system properties, with defaults: {@code latentstudio.cuda} (true), {@code latentstudio.cuda.device}
   * (0), {@code latentstudio.session.memory} (half the machine's memory; accepts 512m, 8g),
   * {@code latentstudio.threads} (physical cores), {@code latentstudio.ort.spin} (false).
   */
  public static RuntimeSettings fromSystemProperties() {
    boolean cuda = Boolean.parseBoolean(System.getProperty("latentstudio.cuda", "true"));
    int device = Integer.parseInt(System.getProperty("latentstudio.cuda.device", "0"));
    String mem = System.getProperty("latentstudio.session.memory");
    long budget = mem == null ? defaultBudget() : parseBytes(mem);
    String threads = System.getProperty("latentstudio.threads");
    return new RuntimeSettings(cuda, device, budget,
        threads == null ? CpuInfo.physicalCores() : Integer.parseInt(threads),
        Boolean.parseBoolean(System.getProperty("latentstudio.ort.spin", "false")));
  }

  public RuntimeSettings withSessionBudget(long bytes) {
    return new RuntimeSettings(preferCuda, cudaDevice, bytes, intraOpThreads, spinWait);
  }

  public RuntimeSettings withCuda(boolean prefer) {
    return new RuntimeSettings(prefer, cudaDevice, sessionBudgetBytes, intraOpThreads, spinWait);
  }

  static long defaultBudget() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / 2;
    }
    return 8L << 30;
  }

  /** "8g", "512m", "1048576" → bytes. */
  public static long parseBytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    switch (last) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      default -> { }
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      return Math.round(Double.parseDouble(digits) * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write it like 8g, 512m or 1048576");
    }
  }
}
