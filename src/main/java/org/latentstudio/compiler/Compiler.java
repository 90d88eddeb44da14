package org.latentstudio.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
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

  private static String digestOfCode() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
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
          md.update(c.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(c));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          List<JarEntry> entries = Collections.list(jar.entries()).stream()
              .filter(e -> PACKAGES.stream().anyMatch(e.getName()::startsWith) && e.getName().endsWith(".class"))
              .sorted(java.util.Comparator.comparing(JarEntry::getName)).toList();
          for (JarEntry e : entries) {
            md.update(e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (InputStream in = jar.getInputStream(e)) {
              md.update(in.readAllBytes());
            }
          }
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
      return "unknown"; // VERSION alone still keys the cache
    }
  }
}
