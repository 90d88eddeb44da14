package org.latentstudio.ui.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds models in the model folders ({@code ~/.latentstudio/models} and the install's {@code assets/models}).
 * A checkpoint is a folder holding {@code model_index.json} (the diffusers layout our ONNX packs use); LoRAs
 * and ControlNets are files or folders under {@code loras/} and {@code controlnet/}. The first folder that has
 * a name wins, so a user's model shadows a bundled one of the same name.
 */
public final class FolderModelCatalog implements ModelCatalog {
  private static final int MAX_DEPTH = 3;
  private final List<Path> roots;

  public FolderModelCatalog(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  public List<Path> roots() {
    return roots;
  }

  @Override
  public List<ModelEntry> scan() {
    Map<String, ModelEntry> found = new LinkedHashMap<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      for (Path dir : checkpoints(root)) {
        String name = root.relativize(dir).toString().replace('\\', '/');
        found.putIfAbsent("checkpoint/" + name, new ModelEntry("checkpoint", name, dir));
      }
      addFiles(root.resolve("loras"), "lora", found);
      addFiles(root.resolve("controlnet"), "controlnet", found);
    }
    List<ModelEntry> out = new ArrayList<>(found.values());
    out.sort(Comparator.comparing(ModelEntry::kind).thenComparing(e -> e.name().toLowerCase(Locale.ROOT)));
    return out;
  }

  private static List<Path> checkpoints(Path root) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
      s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("model_index.json"))
          .map(Path::getParent)
          .filter(p -> !p.equals(root))
          .forEach(out::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      // an unreadable folder shows no models rather than failing the panel
    }
    return out;
  }

  private static void addFiles(Path dir, String kind, Map<String, ModelEntry> found) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> !p.getFileName().toString().startsWith("."))
          .forEach(p -> found.putIfAbsent(kind + "/" + p.getFileName(),
              new ModelEntry(kind, p.getFileName().toString(), p)));
    } catch (IOException e) {
      // as above
    }
  }
}
