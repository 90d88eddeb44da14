package org.latentstudio.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The small committed model folders and reference data under src/test/resources. */
public final class TestModels {
  private TestModels() {}

  public static Path resources() {
    return Path.of(System.getProperty("latentstudio.repo", ".")).resolve("src/test/resources").toAbsolutePath();
  }

  /** The tiny random-weight SD1.5-shaped set: UNet with int64 timestep and external weights. */
  public static Path tinySd() {
    return resources().resolve("models/tiny-sd");
  }

  /** The same weights with a float32 timestep, for schedules with fractional timesteps. */
  public static Path tinySdFloatTimestep() {
    return resources().resolve("models/tiny-sd-ts32");
  }

  /** The same weights with float16 inputs and outputs (and timestep). */
  public static Path tinySdFp16() {
    return resources().resolve("models/tiny-sd-fp16");
  }

  /** The bundled shapes pack: a diffusers folder the compiler builds. */
  public static Path shapesPack() {
    return Path.of(System.getProperty("latentstudio.repo", ".")).resolve("assets/models/shapes").toAbsolutePath();
  }

  /** The tiny ControlNet / IP-Adapter set and diffusers' references (src/python/parity/make_control_set.py). */
  public static Path control() {
    return resources().resolve("control");
  }

  public static Path parity() {
    return resources().resolve("parity");
  }

  /** Copies a model folder so a test can damage it. */
  public static Path copyOf(Path folder, Path into) throws IOException {
    Path target = into.resolve(folder.getFileName());
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.toList()) {
        Path t = target.resolve(folder.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }
}
