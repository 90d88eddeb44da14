package org.latentstudio.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.runtime.RuntimeSettings;

/**
 * The user's settings, shared by the studio and the command line. They live in {@link SettingsFile}
 * ({@code ~/.latentstudio/settings.json}, edited by Preferences); Java system properties override them for one
 * run ({@link #withOverrides}). Every value is checked when the record is made, and a bad one is refused with
 * the name of its field.
 *
 * @param modelFolders       extra models folders, searched before ~/.latentstudio/models and the bundled ones
 * @param outputFolder       where pictures are saved; null: ~/.latentstudio/output in the studio, ./output
 *                           for {@code latentstudio run}
 * @param provider           where models run
 * @param cudaDevice         which GPU, for {@link Provider#CUDA}
 * @param threads            ONNX Runtime intra-op threads; 0: automatic (see {@link #DEFAULT_THREADS})
 * @param sessionMemoryBytes loaded models beyond this are unloaded, least recently used first; 0: half the RAM
 * @param outputCacheBytes   node results kept for re-runs
 * @param savedModelsBytes   disk for full-size models as ONNX Runtime optimised them, least recently used
 *                           dropped first; 0: none are saved
 * @param previewEvery       a live preview every this many sampler steps; 0: none
 * @param autosaveSeconds    how often the studio writes its recovery copy; 0: never
 */
public record Settings(List<Path> modelFolders, Path outputFolder, Provider provider, int cudaDevice, int threads,
    long sessionMemoryBytes, long outputCacheBytes, long savedModelsBytes, int previewEvery, int autosaveSeconds) {

  /** Where models run. CUDA falls back to the CPU, saying why, when the build or the machine lacks it. */
  public enum Provider { CPU, CUDA }

  /**
   * The default thread count, automatic: one thread for small models (a tiny-model image took 29–31 ms with one
   * against 51–68 ms with two) and one per physical core for full-size ones (an SD1.5 image at 256² 5.4–5.6 s
   * against 10.0–10.9 s with one) and for a small model's pictures of 128² or more; see
   * {@code OrtRuntime.threadsFor} and the README's performance section.
   */
  public static final int DEFAULT_THREADS = 0;
  public static final int MAX_THREADS = 256;
  public static final long MIN_SESSION_MEMORY = 64L << 20;
  public static final long DEFAULT_OUTPUT_CACHE = 2L << 30;
  /** Two SD1.5 checkpoints' worth (4 GB each), as ONNX Runtime optimised them. */
  public static final long DEFAULT_SAVED_MODELS = 10L << 30;
  public static final int MAX_PREVIEW_EVERY = 1000;
  public static final int MIN_AUTOSAVE_SECONDS = 5;
  public static final int MAX_AUTOSAVE_SECONDS = 3600;

  private static final java.util.Map<String, String> PROPERTIES = java.util.Map.of(
      "modelFolders", "latentstudio.models", "outputFolder", "latentstudio.output",
      "cudaDevice", "latentstudio.cuda.device", "threads", "latentstudio.threads",
      "sessionMemory", "latentstudio.session.memory", "outputCache", "latentstudio.cache.memory",
      "savedModels", "latentstudio.session.files",
      "previewEvery", "latentstudio.preview.every", "autosaveSeconds", "latentstudio.autosave");

  public Settings {
    modelFolders = List.copyOf(modelFolders);
    for (Path p : modelFolders) {
      if (!p.isAbsolute()) {
        throw new InvalidSettingException("modelFolders", "'" + p + "' is not an absolute path; give the full path");
      }
    }
    if (outputFolder != null && !outputFolder.isAbsolute()) {
      throw new InvalidSettingException("outputFolder",
          "'" + outputFolder + "' is not an absolute path; give the full path");
    }
    if (provider == null) {
      throw new InvalidSettingException("executionProvider", "missing; write \"cpu\" or \"cuda\"");
    }
    range("cudaDevice", cudaDevice, 0, 63, "");
    range("threads", threads, 0, MAX_THREADS, " (0: automatic)");
    if (sessionMemoryBytes != 0 && sessionMemoryBytes < MIN_SESSION_MEMORY) {
      throw new InvalidSettingException("sessionMemory", Sizes.format(sessionMemoryBytes)
          + " is too small to hold a model; give at least 64m, or 0 for half the machine's memory");
    }
    if (outputCacheBytes < 0) {
      throw new InvalidSettingException("outputCache", "must be 0 (no cache) or more, not " + outputCacheBytes);
    }
    if (savedModelsBytes < 0) {
      throw new InvalidSettingException("savedModels", "must be 0 (save none) or more, not " + savedModelsBytes);
    }
    range("previewEvery", previewEvery, 0, MAX_PREVIEW_EVERY, " (0 turns previews off)");
    if (autosaveSeconds != 0) {
      range("autosaveSeconds", autosaveSeconds, MIN_AUTOSAVE_SECONDS, MAX_AUTOSAVE_SECONDS, " (0 turns it off)");
    }
  }

  /** The defaults with the system properties that override them: for benchmarks and tools without a user. */
  public static Settings fromSystemProperties() throws InvalidSettingException {
    return defaults().withOverrides(System.getProperties());
  }

  public static Settings defaults() {
    return new Settings(List.of(), null, Provider.CUDA, 0, DEFAULT_THREADS, 0, DEFAULT_OUTPUT_CACHE,
        DEFAULT_SAVED_MODELS, 1, 30);
  }

  /** What ONNX Runtime is set up with; {@code latentstudio.ort.spin} is a system property only. */
  public RuntimeSettings runtime(Properties props) {
    long budget = sessionMemoryBytes == 0 ? RuntimeSettings.defaultBudget() : sessionMemoryBytes;
    return new RuntimeSettings(provider == Provider.CUDA, cudaDevice, budget, threads,
        Boolean.parseBoolean(props.getProperty("latentstudio.ort.spin", "false")));
  }

  public RunSettings runSettings(Path fallbackOutput) {
    return new RunSettings(outputFolder != null ? outputFolder : fallbackOutput, previewEvery);
  }

  /**
   * These settings with the system properties that override them: {@code latentstudio.models} (folders
   * separated by the path separator, searched first), {@code latentstudio.output}, {@code latentstudio.cuda}
   * (false: the CPU), {@code latentstudio.cuda.device}, {@code latentstudio.threads},
   * {@code latentstudio.session.memory}, {@code latentstudio.cache.memory}, {@code latentstudio.session.files},
   * {@code latentstudio.preview.every}
   * and {@code latentstudio.autosave}. A bad value is refused naming the property.
   */
  public Settings withOverrides(Properties props) {
    List<Path> folders = new ArrayList<>();
    String extra = props.getProperty("latentstudio.models");
    if (extra != null && !extra.isBlank()) {
      for (String p : extra.split(java.io.File.pathSeparator)) {
        folders.add(Path.of(p).toAbsolutePath());
      }
    }
    folders.addAll(modelFolders);
    String output = props.getProperty("latentstudio.output");
    String cuda = props.getProperty("latentstudio.cuda");
    Provider prov = cuda == null ? provider
        : bool("latentstudio.cuda", cuda) ? Provider.CUDA : Provider.CPU;
    String memory = props.getProperty("latentstudio.session.memory");
    String cache = props.getProperty("latentstudio.cache.memory");
    String saved = props.getProperty("latentstudio.session.files");
    try {
      return new Settings(folders, output == null ? outputFolder : Path.of(output).toAbsolutePath(), prov,
          integer(props, "latentstudio.cuda.device", cudaDevice), integer(props, "latentstudio.threads", threads),
          memory == null ? sessionMemoryBytes : Sizes.parse("latentstudio.session.memory", memory),
          cache == null ? outputCacheBytes : Sizes.parse("latentstudio.cache.memory", cache),
          saved == null ? savedModelsBytes : Sizes.parse("latentstudio.session.files", saved),
          integer(props, "latentstudio.preview.every", previewEvery),
          integer(props, "latentstudio.autosave", autosaveSeconds));
    } catch (InvalidSettingException e) {
      // the file's values were checked when it was read, so the bad value came from a property
      throw new InvalidSettingException(PROPERTIES.getOrDefault(e.field(), e.field()), e.problem());
    }
  }

  private static int integer(Properties props, String name, int fallback) {
    String v = props.getProperty(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(name, "'" + v + "' is not a whole number");
    }
  }

  private static boolean bool(String name, String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidSettingException(name, "'" + v + "' is neither true nor false");
    };
  }

  private static void range(String field, long value, long min, long max, String note) {
    if (value < min || value > max) {
      throw new InvalidSettingException(field, "must be between " + min + " and " + max + note + ", not " + value);
    }
  }
}
