package org.latentstudio.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.latentstudio.io.AtomicFiles;
import org.latentstudio.io.IoErrors;

/**
 * The settings file, {@code ~/.latentstudio/settings.json}:
 * <pre>{@code
 * { "version": 1,
 *   "modelFolders": [ "/data/models" ], "outputFolder": "/home/me/Pictures/latentstudio",
 *   "executionProvider": "cuda", "cudaDevice": 0, "threads": 0,
 *   "sessionMemory": "8g", "outputCache": "2g", "previewEvery": 1, "autosaveSeconds": 30 }
 * }</pre>
 * Every field is optional (missing ones take their defaults), an unknown field is refused as a likely typo,
 * and a bad value is refused naming the file and the field. Writes are atomic.
 */
public final class SettingsFile {
  public static final int VERSION = 1;
  private static final Set<String> FIELDS = Set.of("version", "modelFolders", "outputFolder", "executionProvider",
      "cudaDevice", "threads", "sessionMemory", "outputCache", "savedModels", "previewEvery",
      "autosaveSeconds");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  public SettingsFile(Path file) {
    this.file = file;
  }

  /** The file in the user's folder. */
  public static SettingsFile inUserDir() {
    return new SettingsFile(AppPaths.userDir().resolve("settings.json"));
  }

  public Path path() {
    return file;
  }

  /** The settings in the file, or the defaults when there is none. */
  public Settings read() throws InvalidSettingException {
    if (!Files.isRegularFile(file)) {
      return Settings.defaults();
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw refused("file", "is not valid JSON (" + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + "); fix it or delete it to start from the defaults");
    } catch (IOException e) {
      throw refused("file", "cannot be read: " + IoErrors.reason(e));
    }
    if (root == null || !root.isObject()) {
      throw refused("file", "must hold one JSON object {...}");
    }
    try {
      return parse(root);
    } catch (InvalidSettingException e) {
      throw refused(e.field(), e.problem());
    }
  }

  /** Writes the settings, replacing the file in one step. */
  public void write(Settings s) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", VERSION);
    s.modelFolders().forEach(p -> o.withArray("modelFolders").add(p.toString()));
    if (s.modelFolders().isEmpty()) {
      o.putArray("modelFolders");
    }
    if (s.outputFolder() != null) {
      o.put("outputFolder", s.outputFolder().toString());
    }
    o.put("executionProvider", s.provider().name().toLowerCase(Locale.ROOT));
    o.put("cudaDevice", s.cudaDevice());
    o.put("threads", s.threads());
    o.put("sessionMemory", Sizes.format(s.sessionMemoryBytes()));
    o.put("outputCache", Sizes.format(s.outputCacheBytes()));
    o.put("savedModels", Sizes.format(s.savedModelsBytes()));
    o.put("previewEvery", s.previewEvery());
    o.put("autosaveSeconds", s.autosaveSeconds());
    AtomicFiles.write(file, (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static Settings parse(JsonNode root) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidSettingException(name, "is not a setting; the settings are " + String.join(", ",
            FIELDS.stream().sorted().toList()));
      }
    }
    JsonNode version = root.get("version");
    if (version != null && (!version.canConvertToInt() || version.asInt() > VERSION || version.asInt() < 1)) {
      throw new InvalidSettingException("version", version + " is not a settings version this Latent Studio reads ("
          + VERSION + "); it may come from a newer release");
    }
    Settings d = Settings.defaults();
    List<Path> folders = new ArrayList<>();
    JsonNode mf = root.get("modelFolders");
    if (mf != null && !mf.isNull()) {
      if (!mf.isArray()) {
        throw new InvalidSettingException("modelFolders", "must be a list of folders, like [\"/data/models\"]");
      }
      for (JsonNode f : mf) {
        folders.add(Path.of(text(f, "modelFolders")));
      }
    }
    JsonNode out = root.get("outputFolder");
    Path output = out == null || out.isNull() ? null : Path.of(text(out, "outputFolder"));
    Settings.Provider provider = d.provider();
    JsonNode ep = root.get("executionProvider");
    if (ep != null && !ep.isNull()) {
      provider = switch (text(ep, "executionProvider").toLowerCase(Locale.ROOT)) {
        case "cpu" -> Settings.Provider.CPU;
        case "cuda" -> Settings.Provider.CUDA;
        default -> throw new InvalidSettingException("executionProvider", ep + " is not a provider; write \"cpu\" or \"cuda\"");
      };
    }
    return new Settings(folders, output, provider, integer(root, "cudaDevice", d.cudaDevice()),
        integer(root, "threads", d.threads()), size(root, "sessionMemory", d.sessionMemoryBytes()),
        size(root, "outputCache", d.outputCacheBytes()), size(root, "savedModels", d.savedModelsBytes()),
        integer(root, "previewEvery", d.previewEvery()),
        integer(root, "autosaveSeconds", d.autosaveSeconds()));
  }

  private static String text(JsonNode n, String field) {
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new InvalidSettingException(field, n + " is not a path; write it in quotes, like \"/data/models\"");
    }
    return n.asText();
  }

  private static int integer(JsonNode root, String field, int fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new InvalidSettingException(field, n + " is not a whole number");
    }
    return n.asInt();
  }

  private static long size(JsonNode root, String field, long fallback) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.asLong();
    }
    if (n.isTextual()) {
      return Sizes.parse(field, n.asText());
    }
    throw new InvalidSettingException(field, n + " is not a size; write it like \"8g\", \"512m\" or 0");
  }

  private InvalidSettingException refused(String field, String problem) {
    return new InvalidSettingException(field, problem).in(file);
  }
}
