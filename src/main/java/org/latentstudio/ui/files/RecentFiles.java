package org.latentstudio.ui.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentstudio.io.AtomicFiles;

/** The recently opened workflows, newest first, kept in {@code recent.json} in the user folder. */
public final class RecentFiles {
  public static final int MAX = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path store;
  private final List<Path> files = new ArrayList<>();

  public RecentFiles(Path store) {
    this.store = store;
    load();
  }

  private void load() {
    if (!Files.isRegularFile(store)) {
      return;
    }
    try {
      JsonNode root = JSON.readTree(Files.readString(store, StandardCharsets.UTF_8));
      for (JsonNode n : root.path("files")) {
        if (n.isTextual() && files.size() < MAX) {
          files.add(Path.of(n.asText()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // a damaged list is not worth a dialog: start a new one
      files.clear();
    }
  }

  /** The list, newest first, without files that no longer exist. */
  public List<Path> list() {
    return files.stream().filter(Files::isRegularFile).toList();
  }

  public void add(Path file) {
    Path p = file.toAbsolutePath().normalize();
    files.remove(p);
    files.add(0, p);
    while (files.size() > MAX) {
      files.remove(files.size() - 1);
    }
    save();
  }

  public void clear() {
    files.clear();
    save();
  }

  private void save() {
    ArrayNode arr = JSON.createArrayNode();
    files.forEach(f -> arr.add(f.toString()));
    try {
      AtomicFiles.write(store, JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(JSON.createObjectNode().set("files", arr)));
    } catch (IOException e) {
      // the menu still works for this session
    }
  }
}
