package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The number of physical cores: ONNX Runtime's intra-op threads scale with cores, and hyper-threads only add
 * contention. Linux reports the topology under /sys; elsewhere the logical count is the best guess.
 */
final class CpuInfo {
  private CpuInfo() {}

  static int physicalCores() {
    int logical = Runtime.getRuntime().availableProcessors();
    Path cpus = Path.of("/sys/devices/system/cpu");
    if (!Files.isDirectory(cpus)) {
      return logical;
    }
    Set<String> cores = new HashSet<>();
    try (Stream<Path> dirs = Files.list(cpus)) {
      for (Path cpu : dirs.filter(p -> p.getFileName().toString().matches("cpu\\d+")).toList()) {
        Path topo = cpu.resolve("topology");
        if (Files.isReadable(topo.resolve("core_id"))) {
          cores.add(Files.readString(topo.resolve("physical_package_id")).trim() + ":"
              + Files.readString(topo.resolve("core_id")).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return logical;
    }
    // a container may see every core of the host but be allowed fewer
    return cores.isEmpty() ? logical : Math.max(1, Math.min(cores.size(), logical));
  }
}
