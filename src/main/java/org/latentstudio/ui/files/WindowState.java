package org.latentstudio.ui.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.latentstudio.io.AtomicFiles;

/**
 * Where the window was and how big, kept in {@code window.json} in the user folder so the studio opens as it
 * was closed.
 */
public record WindowState(double x, double y, double width, double height, boolean maximized) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static Optional<WindowState> load(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file));
      WindowState s = new WindowState(n.path("x").asDouble(), n.path("y").asDouble(), n.path("width").asDouble(),
          n.path("height").asDouble(), n.path("maximized").asBoolean());
      return s.width() >= 400 && s.height() >= 300 ? Optional.of(s) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public void save(Path file) {
    ObjectNode n = JSON.createObjectNode();
    n.put("x", x).put("y", y).put("width", width).put("height", height).put("maximized", maximized);
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    } catch (IOException e) {
      // next time the window opens at its default size
    }
  }
}
