package org.latentstudio.compiler;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Facts about the compiler itself. */
public final class Compiler {
  /** Written into every graph's producer field: bump it when a builder changes what it writes. */
  public static final String VERSION = "2";

  /** The packages whose code decides what a compiled graph contains (names, configs, builders). */
  private static final List<String> PACKAGES = List.of("org/latentstudio/compiler/", "org/latentstudio/checkpoint/");

  private static volatile String fingerprint;

  private Compiler() {}

  /**
   * A digest of the compiler's own code, part of every graph cache key: a graph built by other code is never
   * reused, even when someone forgot to bump {@link #VERSION} (or is in the middle of changing a builder).
   */
  public static String fingerprint() {
    String f = fingerprint;
    if (f == null) {
      f = VERSION + ":" + digestOfCode();
      fingerprint = f;
    }
    return f;
  }

  /**
   * CRC-32 and CRC-32C (64 bits together) of the compiler's and the readers' classes: from a class folder their
   * bytes, from a jar each entry's CRC and size as its directory lists them, so nothing is inflated. Not
   * SHA-256: creating the security provider and hashing the jar's classes took 70-90 ms of every cold start.
   * Only accidental changes need telling apart.
   */
  private static String digestOfCode() {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    java.util.zip.CRC32C crcC = new java.util.zip.CRC32C();
    java.util.function.Consumer<byte[]> update = b -> {
      crc.update(b);
      crcC.update(b);
    };
    try {
      Path location = Path.of(Compiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        List<Path> classes = new ArrayList<>();
        for (String pkg : PACKAGES) {
          Path dir = location.resolve(pkg);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
              files.filter(p -> p.toString().endsWith(".class")).forEach(classes::add);
            }
          }
        }
        Collections.sort(classes);
        for (Path c : classes) {
          update.accept(c.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          update.accept(Files.readAllBytes(c));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          List<JarEntry> entries = Collections.list(jar.entries()).stream()
              .filter(e -> PACKAGES.stream().anyMatch(e.getName()::startsWith) && e.getName().endsWith(".class"))
              .sorted(java.util.Comparator.comparing(JarEntry::getName)).toList();
          for (JarEntry e : entries) {
            update.accept((e.getName() + ":" + e.getCrc() + ":" + e.getSize())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
      return String.format(java.util.Locale.ROOT, "%08x%08x", crc.getValue(), crcC.getValue());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown"; // VERSION alone still keys the cache
    }
  }
}
