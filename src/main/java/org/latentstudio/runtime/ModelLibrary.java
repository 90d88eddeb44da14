package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The models found in the models directories: checkpoints (.safetensors/.ckpt files, and folders with
 * model_index.json, in the directory itself or its {@code checkpoints} folder), LoRAs (.safetensors files under a
 * {@code loras} folder), ControlNets (files and diffusers folders under {@code controlnet}), IP-Adapters (files
 * under {@code ipadapter}) and CLIP vision encoders (files and folders under {@code clip_vision}), ComfyUI's
 * folder names.
 * Names given in workflows resolve against these directories, so graphs can say "shapes" instead of a path.
 */
public final class ModelLibrary {
  public enum Kind {
    CHECKPOINT("checkpoints"), LORA("loras"), CONTROLNET("controlnet"), IPADAPTER("ipadapter"),
    CLIP_VISION("clip_vision");

    private final String folder;

    Kind(String folder) {
      this.folder = folder;
    }

    /** The folder of a models directory that holds this kind. */
    public String folder() {
      return folder;
    }
  }

  public record Entry(Kind kind, String name, Path path) {}

  private final List<Path> dirs;

  public ModelLibrary(List<Path> dirs) {
    this.dirs = List.copyOf(new LinkedHashSet<>(dirs.stream().map(p -> p.toAbsolutePath().normalize()).toList()));
  }

  /** The user's own folders ({@code extra}, from the settings), then ~/.latentstudio/models, then the bundled ones. */
  public static ModelLibrary defaults(List<Path> extra, Path userDir, Path home) {
    List<Path> dirs = new ArrayList<>(extra);
    dirs.add(userDir.resolve("models"));
    dirs.add(home.resolve("assets").resolve("models"));
    return new ModelLibrary(dirs);
  }

  public List<Path> dirs() {
    return dirs;
  }

  public List<Entry> scan() {
    List<Entry> found = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      found.addAll(checkpointsIn(dir));
      found.addAll(checkpointsIn(dir.resolve("checkpoints")));
      found.addAll(filesUnder(dir.resolve("loras"), Kind.LORA, ".safetensors"));
      found.addAll(foldersIn(dir.resolve("controlnet"), Kind.CONTROLNET));
      found.addAll(filesIn(dir.resolve("controlnet"), Kind.CONTROLNET, ".safetensors"));
      found.addAll(filesIn(dir.resolve("ipadapter"), Kind.IPADAPTER, ".safetensors"));
      found.addAll(foldersIn(dir.resolve("clip_vision"), Kind.CLIP_VISION));
      found.addAll(filesIn(dir.resolve("clip_vision"), Kind.CLIP_VISION, ".safetensors"));
    }
    found.sort(Comparator.comparing(Entry::kind).thenComparing(e -> e.name().toLowerCase(Locale.ROOT)));
    return found;
  }

  public List<Entry> scan(Kind kind) {
    return scan().stream().filter(e -> e.kind() == kind).toList();
  }

  /** Checkpoint files and model folders directly inside {@code dir}. */
  private static List<Entry> checkpointsIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        String name = child.getFileName().toString();
        boolean file = Files.isRegularFile(child) && SdModels.CHECKPOINT_EXTENSIONS.stream()
            .anyMatch(name.toLowerCase(Locale.ROOT)::endsWith);
        if (file || Files.isRegularFile(child.resolve("model_index.json"))) {
          out.add(new Entry(Kind.CHECKPOINT, name, child));
        }
      }
    } catch (IOException e) {
      return List.of(); // an unreadable directory holds no models we can use
    }
    return out;
  }

  /**
   * A checkpoint by name in the models directories (or their {@code checkpoints} folders) or by path (absolute,
   * or relative to the working directory); a bare name is a name first and a path only if no models directory
   * has it. A folder's {@code model_index.json} stands for the folder, so a file chooser can pick a model folder.
   */
  public Path resolveCheckpoint(String nameOrPath) throws ModelException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new ModelException("no checkpoint given; set the path to a checkpoint file or folder, or the name of "
          + "one in " + dirs);
    }
    List<Path> asName = new ArrayList<>();
    for (Path dir : dirs) {
      asName.add(dir.resolve(nameOrPath));
      asName.add(dir.resolve("checkpoints").resolve(nameOrPath));
    }
    Optional<Path> found = find(nameOrPath, asName, Files::exists);
    if (found.isPresent()) {
      return found.get();
    }
    List<String> names = scan(Kind.CHECKPOINT).stream().map(Entry::name).toList();
    throw new ModelException("no checkpoint '" + nameOrPath + "' in the models directories " + dirs
        + (names.isEmpty() ? " (they hold none)" : " (found: " + String.join(", ", names) + ")")
        + ". Give a file or folder path, or one of those names");
  }

  /**
   * What a name or path given for a model means. A bare name is a model's name first, as in ComfyUI, and a path
   * where the command runs only if none of {@code asName} fits: a folder there called "shapes" (an output folder)
   * must not hide the bundled model. {@code ./name} or a longer relative path means the path.
   */
  private static Optional<Path> find(String nameOrPath, List<Path> asName, Predicate<Path> fits) {
    Path direct = Path.of(nameOrPath);
    boolean bareName = !direct.isAbsolute() && direct.getNameCount() == 1;
    if (direct.isAbsolute() || !bareName && fits.test(direct)) {
      return Optional.of(pathGiven(direct));
    }
    for (Path p : asName) {
      if (fits.test(p)) {
        return Optional.of(p);
      }
    }
    return bareName && fits.test(direct) ? Optional.of(pathGiven(direct)) : Optional.empty();
  }

  /** A path the user gave, absolute and normalised; a diffusers folder's model_index.json stands for the folder. */
  private static Path pathGiven(Path direct) {
    Path p = direct.toAbsolutePath().normalize();
    return p.getFileName() != null && p.getFileName().toString().equals("model_index.json") ? p.getParent() : p;
  }

  /** A checkpoint's config: a diffusers folder or an LDM .yaml, by path or by name in a {@code configs} folder. */
  public Path resolveConfig(String nameOrPath) throws ModelException {
    Optional<Path> found = find(nameOrPath, dirs.stream().map(d -> d.resolve("configs").resolve(nameOrPath)).toList(),
        Files::exists);
    if (found.isPresent()) {
      return found.get();
    }
    throw new ModelException("no checkpoint config '" + nameOrPath + "': give a diffusers folder or an LDM .yaml "
        + "by path, or the name of one in a configs/ folder of " + dirs);
  }

  /**
   * An add-on model (ControlNet, IP-Adapter, vision encoder) by path, or by name in its folder of the models
   * directories ({@code controlnet/}, {@code ipadapter/}, {@code clip_vision/}).
   */
  public Path resolve(Kind kind, String nameOrPath) throws ModelException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new ModelException("no " + kind.folder() + " model given; set a file or folder path, or the name of one "
          + "in the " + kind.folder() + "/ folders of " + dirs);
    }
    Optional<Path> found = find(nameOrPath,
        dirs.stream().map(d -> d.resolve(kind.folder()).resolve(nameOrPath)).toList(), Files::exists);
    if (found.isPresent()) {
      return found.get();
    }
    List<String> names = scan(kind).stream().map(Entry::name).toList();
    throw new ModelException("no " + kind.folder() + " model '" + nameOrPath + "' in the " + kind.folder()
        + "/ folders of " + dirs + (names.isEmpty() ? " (they hold none)" : " (found: " + String.join(", ", names)
        + ")") + ". Give a file or folder path, or one of those names");
  }

  /**
   * A LoRA by path, or by its name in a {@code loras} folder (sub-folders included: {@code styles/ink.safetensors}).
   */
  public Path resolveLora(String nameOrPath) throws ModelException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new ModelException("no LoRA given; set lora_name to a .safetensors file, or to the name of one in the "
          + "loras folders of " + dirs);
    }
    Optional<Path> p = resolveFile(nameOrPath, "loras");
    if (p.isPresent()) {
      return p.get();
    }
    List<String> names = scan(Kind.LORA).stream().map(Entry::name).toList();
    throw new ModelException("no LoRA '" + nameOrPath + "' in the loras folders of " + dirs
        + (names.isEmpty() ? " (they hold none)" : " (found: " + String.join(", ", names) + ")")
        + ". Give a .safetensors file path, or one of those names");
  }

  public Optional<Path> resolveFile(String nameOrPath, String subdir) {
    return find(nameOrPath, dirs.stream().map(d -> d.resolve(subdir).resolve(nameOrPath)).toList(),
        Files::isRegularFile);
  }

  /** Files under {@code dir} and its sub-folders, named by their path relative to it. */
  private static List<Entry> filesUnder(Path dir, Kind kind, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir, 4)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix))
          .map(p -> new Entry(kind, dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'), p))
          .sorted(Comparator.comparing(Entry::name)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** Files directly in {@code dir} (not in model folders inside it). */
  private static List<Entry> filesIn(Path dir, Kind kind, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix))
          .map(p -> new Entry(kind, p.getFileName().toString(), p)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<Entry> foldersIn(Path dir, Kind kind) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isDirectory).map(p -> new Entry(kind, p.getFileName().toString(), p)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
