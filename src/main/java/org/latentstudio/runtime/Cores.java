package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The processor cores this process may use, counting two hardware threads of one core once. */
final class Cores {
  private Cores() {}

  /**
   * Physical cores as Linux's /proc/cpuinfo lists them (distinct physical id and core id pairs), at most the
   * processors the JVM may use (a container's limit); elsewhere, or if the file says nothing, those processors.
   * Compute-bound kernels gain little from a core's second hardware thread, which ONNX Runtime's own default
   * leaves out too.
   */
  static int physical() {
    int available = Runtime.getRuntime().availableProcessors();
    try {
      int cores = countCores(Files.readAllLines(Path.of("/proc/cpuinfo")));
      return cores > 0 ? Math.min(cores, available) : available;
    } catch (IOException | RuntimeException e) {
      return available;
    }
  }

  /** Distinct (physical id, core id) pairs in /proc/cpuinfo's text; 0 when it names no core ids. */
  static int countCores(List<String> cpuinfo) {
    Set<String> cores = new HashSet<>();
    String socket = "0";
    for (String line : cpuinfo) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("physical id")) {
        socket = value;
      } else if (key.equals("core id")) {
        cores.add(socket + "/" + value);
      }
    }
    return cores.size();
  }
}
