package org.latentstudio.runtime;

import java.lang.management.ManagementFactory;

/**
 * How ONNX Runtime is set up. The user's values come from the settings file and system properties
 * ({@code app.Settings}).
 *
 * @param preferCuda         use the CUDA execution provider when the build and the machine allow it
 * @param cudaDevice         which GPU
 * @param sessionBudgetBytes loaded models beyond this size are unloaded, least recently used first
 * @param intraOpThreads     threads per model run; 0: one for small models, one per physical core
 *                           for full-size ones and for large calls ({@code OrtRuntime.threadsFor})
 * @param spinWait           let ONNX Runtime's idle threads spin between runs (off by default)
 */
public record RuntimeSettings(boolean preferCuda, int cudaDevice, long sessionBudgetBytes, int intraOpThreads,
    boolean spinWait) {

  /** CUDA when possible, half the memory for models, threads chosen per model, no spinning. */
  public static RuntimeSettings defaults() {
    return new RuntimeSettings(true, 0, defaultBudget(), 0, false);
  }

  public RuntimeSettings withSessionBudget(long bytes) {
    return new RuntimeSettings(preferCuda, cudaDevice, bytes, intraOpThreads, spinWait);
  }

  public RuntimeSettings withCuda(boolean prefer) {
    return new RuntimeSettings(prefer, cudaDevice, sessionBudgetBytes, intraOpThreads, spinWait);
  }

  public RuntimeSettings withThreads(int threads) {
    return new RuntimeSettings(preferCuda, cudaDevice, sessionBudgetBytes, threads, spinWait);
  }

  /** Half the machine's memory. */
  public static long defaultBudget() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / 2;
    }
    return 8L << 30;
  }
}
