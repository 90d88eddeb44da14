package org.latentstudio.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live. The install home holds {@code assets/} and {@code graphs/}; the launcher passes it as
 * {@code -Dlatentstudio.home}. Without it (tests, an IDE) it is found by walking up from the code's location.
 */
public final class AppPaths {
  private AppPaths() {}

  public static Path home() {
    String prop = System.getProperty("latentstudio.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    try {
      Path code = Path.of(AppPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("graphs")) && Files.isDirectory(p.resolve("assets"))) {
          return p;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** The user's own folder: settings, recent files, recovery files, downloaded models. */
  public static Path userDir() {
    String prop = System.getProperty("latentstudio.user.dir");
    return prop != null ? Path.of(prop) : Path.of(System.getProperty("user.home"), ".latentstudio");
  }

  /**
   * Where rebuildable files go (compiled model graphs): {@code latentstudio.cache.dir}, else
   * {@code $XDG_CACHE_HOME/latentstudio}, else {@code ~/.cache/latentstudio}.
   */
  public static Path cacheDir() {
    String prop = System.getProperty("latentstudio.cache.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("latentstudio");
  }

  public static Path graphsDir() {
    return home().resolve("graphs");
  }

  public static Path defaultWorkflow() {
    return graphsDir().resolve("txt2img.json");
  }
}
