package org.latentstudio.interop.comfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain Java values (Long, Double, String, Boolean, List, Map) to and from Jackson trees. */
final class JsonValues {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonValues() {}

  static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.forEach(e -> out.add(toJava(e)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), toJava(e.getValue())));
    return out;
  }

  static JsonNode toJson(Object v) {
    if (v == null) {
      return F.nullNode();
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return F.numberNode(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      return F.numberNode(n.doubleValue());
    }
    if (v instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (v instanceof List<?> list) {
      ArrayNode a = F.arrayNode();
      list.forEach(e -> a.add(toJson(e)));
      return a;
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = F.objectNode();
      map.forEach((k, e) -> o.set(String.valueOf(k), toJson(e)));
      return o;
    }
    return F.textNode(String.valueOf(v));
  }

  /** A position or size: [x, y], or the {"0": x, "1": y} objects older ComfyUI files hold. */
  static double[] pair(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isArray() && n.size() >= 2) {
      return new double[] {n.get(0).asDouble(), n.get(1).asDouble()};
    }
    if (n.isObject() && n.has("0") && n.has("1")) {
      return new double[] {n.get("0").asDouble(), n.get("1").asDouble()};
    }
    return null;
  }

  /** A node id as text: ComfyUI writes numbers in UI workflows and strings in API prompts. */
  static String id(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) ? String.valueOf(n.asLong()) : n.asText();
  }
}
