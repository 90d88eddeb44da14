package org.latentstudio.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed, checked access to a model config (a diffusers or transformers {@code config.json}, or a section of an
 * LDM {@code .yaml}). Every failure names the file and the field, says what was found and what is allowed: a
 * config value of the wrong type must never become a silently wrong picture.
 */
public final class ConfigReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;
  private final String source;

  public ConfigReader(JsonNode node, String source) {
    this.node = node;
    this.source = source;
  }

  /** Reads a JSON object file. */
  public static ConfigReader json(Path file) throws CheckpointException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file + " does not exist");
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n == null || !n.isObject()) {
        throw new CheckpointException(file + " should hold a JSON object");
      }
      return new ConfigReader(n, file.toString());
    } catch (IOException e) {
      throw new CheckpointException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); download or export the model again", e);
    }
  }

  /** The JSON behind this reader, for the rare structure it does not cover. */
  public JsonNode node() {
    return node;
  }

  public String source() {
    return source;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** Whether the field is present and set to null (for fields whose absence means a default, but null "none"). */
  public boolean isExplicitNull(String field) {
    JsonNode v = node.get(field);
    return v != null && v.isNull();
  }

  /** Refuses a boolean, or a per-block list of booleans, that is true anywhere. */
  public void requireAllFalse(String field, String what) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    boolean ok = v.isBoolean() ? !v.asBoolean() : v.isArray();
    if (v.isArray()) {
      for (JsonNode e : v) {
        ok &= e.isBoolean() && !e.asBoolean();
      }
    }
    if (!ok) {
      throw problem(field, "is set, which makes this " + what + "; Latent Studio builds Stable Diffusion 1.x "
          + "models and does not support it", v);
    }
  }

  /** The sub-object at {@code field}, or an error naming it. */
  public ConfigReader object(String field) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw problem(field, "should be an object", v);
    }
    return new ConfigReader(v, source + " → " + field);
  }

  public int integer(String field, int fallback, int min, int max) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    return checkInt(field, v, min, max);
  }

  public int requiredInteger(String field, int min, int max) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw problem(field, "is missing", null);
    }
    return checkInt(field, v, min, max);
  }

  private int checkInt(String field, JsonNode v, int min, int max) throws CheckpointException {
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw problem(field, "should be a whole number", v);
    }
    int i = v.asInt();
    if (i < min || i > max) {
      throw problem(field, "should be between " + min + " and " + max, v);
    }
    return i;
  }

  /** An int, or a list of ints with one entry per block; an int is repeated {@code count} times. */
  public int[] intOrList(String field, int count, int fallback, int min, int max) throws CheckpointException {
    JsonNode v = node.get(field);
    int[] out = new int[count];
    if (v == null || v.isNull()) {
      java.util.Arrays.fill(out, fallback);
      return out;
    }
    if (v.isArray()) {
      if (v.size() != count) {
        throw problem(field, "should have one value per block (" + count + ")", v);
      }
      for (int i = 0; i < count; i++) {
        out[i] = checkInt(field, v.get(i), min, max);
      }
      return out;
    }
    java.util.Arrays.fill(out, checkInt(field, v, min, max));
    return out;
  }

  public int[] intList(String field, int[] fallback, int min, int max) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw problem(field, "is missing", null);
      }
      return fallback.clone();
    }
    if (!v.isArray() || v.isEmpty()) {
      throw problem(field, "should be a non-empty list of whole numbers", v);
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = checkInt(field, v.get(i), min, max);
    }
    return out;
  }

  public double number(String field, double fallback, double min, double max) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw problem(field, "should be a number", v);
    }
    double d = v.asDouble();
    if (d < min || d > max) {
      throw problem(field, "should be between " + min + " and " + max, v);
    }
    return d;
  }

  public boolean bool(String field, boolean fallback) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw problem(field, "should be true or false", v);
    }
    return v.asBoolean();
  }

  /** A string from a known set (case-sensitive, as diffusers compares them). */
  public String choice(String field, String fallback, Set<String> allowed) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || !allowed.contains(v.asText())) {
      throw problem(field, "should be one of " + allowed + "; Latent Studio builds Stable Diffusion 1.x models "
          + "and does not support this variant", v);
    }
    return v.asText();
  }

  public List<String> stringList(String field, List<String> fallback) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isArray()) {
      throw problem(field, "should be a list of names", v);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw problem(field, "should be a list of names", v);
      }
      out.add(e.asText());
    }
    return out;
  }

  /** Refuses a field that is set to anything but null/absent (or the listed harmless values). */
  public void requireUnset(String field, String what, String... harmless) throws CheckpointException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    for (String h : harmless) {
      if (v.asText().equals(h)) {
        return;
      }
    }
    throw problem(field, "is set, which makes this " + what + "; Latent Studio builds Stable Diffusion 1.x "
        + "models and does not support it", v);
  }

  public CheckpointException problem(String field, String rule, JsonNode found) {
    return new CheckpointException(source + ": '" + field + "' " + rule
        + (found == null ? "" : " (found " + found + ")"));
  }
}
