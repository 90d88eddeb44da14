package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which CUDA 12 libraries ONNX Runtime's CUDA provider needs but cannot find. ONNX Runtime's own error only
 * says a shared library failed to load; naming the missing one tells the user what to install.
 */
final class CudaLibraries {
  static final List<String> REQUIRED = List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12",
      "libcurand.so.10", "libcufft.so.11", "libcudnn.so.9");

  private CudaLibraries() {}

  /** The required libraries found neither on LD_LIBRARY_PATH nor in the dynamic linker's cache. */
  static List<String> missing() {
    String cache = linkerCache();
    List<Path> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String lib : REQUIRED) {
      boolean found = cache.contains(lib + " ") || dirs.stream().anyMatch(d -> Files.exists(d.resolve(lib)));
      if (!found) {
        missing.add(lib);
      }
    }
    return missing;
  }

  private static String linkerCache() {
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
      if (Files.isExecutable(Path.of(ldconfig))) {
        try {
          Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
          String out = new String(p.getInputStream().readAllBytes());
          p.waitFor(5, TimeUnit.SECONDS);
          return out;
        } catch (IOException e) {
          return "";
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "";
        }
      }
    }
    return "";
  }
}
