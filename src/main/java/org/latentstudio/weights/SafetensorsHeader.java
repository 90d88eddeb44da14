package org.latentstudio.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked as strictly as the reference Rust implementation
 * checks it: valid UTF-8 JSON object, known dtypes, shapes of non-negative integers, byte ranges that match
 * dtype × shape, lie inside the data, do not overlap and leave no hole, and a {@code __metadata__} block of
 * strings. Kept apart from the file so the parser can be fuzzed on bytes alone.
 */
public final class SafetensorsHeader {
  /** The reference implementation's limit; a larger header is not a safetensors file. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** One tensor's entry: byte range relative to the start of the data (just after the header). */
  public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    public Entry {
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }
  }

  /** A header that breaks the format; the message says how, without the file name (the caller adds it). */
  public static final class FormatException extends Exception {
    public FormatException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final List<Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Tensors in the order of their bytes in the file. */
  public List<Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} block (empty when the file has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * @param json      the header bytes (after the 8-byte length)
   * @param dataBytes how many bytes the file holds after the header
   */
  public static SafetensorsHeader parse(byte[] json, long dataBytes) throws FormatException {
    int first = 0;
    if (json.length == 0 || json[first] != '{') {
      throw new FormatException("the header does not start with a JSON object ('{'); this is not a safetensors "
          + "file, or its first bytes are damaged");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String why = String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")
          ? "more follows its closing brace"
          : String.valueOf(e.getOriginalMessage()).replaceAll(":?\\s*enable\\s+`[^`]*`\\s+to allow", "")
              .replaceAll("\\s*\\([^()]*`[^()]*\\)", ""); // no Java names or parser switches
      throw new FormatException("the header is not valid JSON (" + why + "); the file is damaged: download or "
          + "export it again");
    } catch (IOException e) {
      throw new FormatException("the header cannot be read as UTF-8 JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new FormatException("the header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = Map.of();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        metadata = metadata(f.getValue());
      } else {
        entries.add(entry(f.getKey(), f.getValue()));
      }
    }
    checkLayout(entries, dataBytes);
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    return new SafetensorsHeader(Collections.unmodifiableList(entries), metadata);
  }

  private static Map<String, String> metadata(JsonNode node) throws FormatException {
    if (node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new FormatException("__metadata__ must be an object of strings, not " + node.getNodeType());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new FormatException("__metadata__ value '" + e.getKey() + "' must be a string, not "
            + e.getValue().getNodeType());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return Collections.unmodifiableMap(out);
  }

  private static Entry entry(String name, JsonNode node) throws FormatException {
    if (!node.isObject()) {
      throw new FormatException("tensor '" + name + "' must be described by an object with dtype, shape and "
          + "data_offsets");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new FormatException("tensor '" + name + "' has no dtype string");
    }
    DType dtype = DType.bySafetensorsName(dtypeNode.asText()).orElseThrow(() -> new FormatException("tensor '"
        + name + "' has the unknown dtype '" + dtypeNode.asText() + "' (known: " + Arrays.toString(DType.values())
        + ")"));
    long[] shape = longs(name, "shape", node.get("shape"), -1);
    long[] offsets = longs(name, "data_offsets", node.get("data_offsets"), 2);
    if (offsets[1] < offsets[0]) {
      throw new FormatException("tensor '" + name + "' ends (byte " + offsets[1] + ") before it begins (byte "
          + offsets[0] + ")");
    }
    long bytes;
    try {
      long elements = 1;
      for (long d : shape) {
        elements = Math.multiplyExact(elements, d);
      }
      bytes = Math.multiplyExact(elements, (long) dtype.bytes());
    } catch (ArithmeticException e) {
      throw new FormatException("tensor '" + name + "' has the impossibly large shape " + Arrays.toString(shape));
    }
    if (offsets[1] - offsets[0] != bytes) {
      throw new FormatException("tensor '" + name + "' is " + dtype + " " + Arrays.toString(shape) + ", which takes "
          + bytes + " bytes, but its data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
          + (offsets[1] - offsets[0]) + "; the header is damaged");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(String tensor, String field, JsonNode node, int expectedCount) throws FormatException {
    if (node == null || !node.isArray() || (expectedCount >= 0 && node.size() != expectedCount)) {
      throw new FormatException("tensor '" + tensor + "' needs " + field + " as an array"
          + (expectedCount >= 0 ? " of " + expectedCount + " numbers" : " of numbers"));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        throw new FormatException("tensor '" + tensor + "' has " + field + " " + node + ": each must be a "
            + "non-negative integer");
      }
      out[i] = v.asLong();
    }
    return out;
  }

  /** Byte ranges inside the data, not overlapping, with no hole: the data region is exactly the tensors. */
  private static void checkLayout(List<Entry> entries, long dataBytes) throws FormatException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long end = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < end) {
        throw new FormatException("tensors '" + previous.name() + "' (bytes " + previous.begin() + "-"
            + previous.end() + ") and '" + e.name() + "' (bytes " + e.begin() + "-" + e.end() + ") overlap; the "
            + "header is damaged");
      }
      if (e.begin() > end) {
        throw new FormatException("bytes " + end + "-" + e.begin() + " of the data belong to no tensor (before '"
            + e.name() + "'); the header is damaged");
      }
      end = e.end();
      previous = e;
    }
    if (end > dataBytes) {
      throw new FormatException("the file is truncated: tensor '" + previous.name() + "' ends at byte " + end
          + " of the data, but the file holds only " + dataBytes + " bytes after the header. The download or copy "
          + "was probably cut short: get the file again");
    }
    if (end < dataBytes) {
      throw new FormatException("the file has " + (dataBytes - end) + " bytes after its last tensor that no "
          + "tensor accounts for; the header is damaged or the file was appended to");
    }
  }
}
