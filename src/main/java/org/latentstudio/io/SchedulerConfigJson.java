package org.latentstudio.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.diffusion.SchedulerConfig;

/**
 * Reads a diffusers {@code scheduler_config.json} into a {@link SchedulerConfig}: strings, booleans, whole
 * numbers (as Long), other numbers (as Double) and lists of numbers ({@code trained_betas}); JSON null is
 * dropped, which diffusers' defaults amount to. Nested objects are rejected.
 */
public final class SchedulerConfigJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SchedulerConfigJson() {}

  /** Reads {@code file}, or {@code scheduler_config.json} inside it when it is a folder. */
  public static SchedulerConfig read(Path file) throws IOException {
    Path p = Files.isDirectory(file) ? file.resolve("scheduler_config.json") : file;
    try {
      return fromTree(MAPPER.readTree(p.toFile()));
    } catch (IllegalArgumentException e) {
      throw new IOException(p + ": " + e.getMessage(), e);
    }
  }

  public static SchedulerConfig parse(String json) {
    try {
      return fromTree(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("scheduler config is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static SchedulerConfig fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("scheduler config must be a JSON object");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Object v = value(e.getKey(), e.getValue());
      if (v != null) {
        values.put(e.getKey(), v);
      }
    }
    return new SchedulerConfig(values);
  }

  /** A config value as {@link SchedulerConfig} holds it; null for JSON null. */
  public static Object value(String key, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isArray()) {
      List<Double> list = new ArrayList<>(v.size());
      for (JsonNode n : v) {
        if (!n.isNumber()) {
          throw new IllegalArgumentException("'" + key + "' should hold numbers only");
        }
        list.add(n.doubleValue());
      }
      return list;
    }
    throw new IllegalArgumentException("'" + key + "' has an unsupported value: " + v);
  }
}
