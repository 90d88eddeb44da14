package org.latentstudio.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.latentstudio.graph.NameHints;

/**
 * Turns Jackson's exceptions into messages for the person holding the file: where (line and column, or the
 * node and field), what was expected and what is there. Jackson's own wording names Java types and parser
 * features ("enable {@code JsonReadFeature...}"), which help a programmer but mislead a user.
 */
final class JsonMessages {
  /** Parenthesised asides that speak of parser features or Java types. */
  private static final Pattern JACKSON_ASIDE = Pattern.compile("\\s*\\((?:[^()]|\\([^()]*\\))*(?:Feature|`)"
      + "(?:[^()]|\\([^()]*\\))*\\)");
  private static final Pattern ENABLE_ADVICE = Pattern.compile(":?\\s*enable\\s+`[^`]*`\\s+to allow");
  private static final Pattern SOURCE_AT = Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");
  private static final Pattern LIMIT = Pattern.compile("(Number value|String value|Document nesting) (?:length|depth) "
      + "\\((\\d+)\\) exceeds the maximum allowed \\((\\d+).*");
  private static final Pattern NON_NUMERIC = Pattern.compile("Non-standard token '([^']*)'.*");
  private static final String RESTORE = "Fix the file at that place, or restore it from a backup or from the "
      + "studio's recovery file.";

  private JsonMessages() {}

  /** A file that is not well-formed JSON. */
  static String syntax(JsonProcessingException e, String source) {
    String original = String.valueOf(e.getOriginalMessage());
    if (e instanceof JsonEOFException || original.contains("end-of-input")) {
      return source + " ends too early: the file is truncated or was not saved completely. Restore it from a "
          + "backup or from the studio's recovery file.";
    }
    if (original.startsWith("Trailing token")) {
      return source + " goes on after the workflow ends" + where(e) + ": a workflow file holds one JSON object. "
          + "Remove what follows its closing brace.";
    }
    var nonNumeric = NON_NUMERIC.matcher(original);
    if (nonNumeric.matches()) {
      return source + " holds " + nonNumeric.group(1) + where(e) + ", which is not a number JSON allows. Write a "
          + "finite number there.";
    }
    var limit = LIMIT.matcher(original);
    if (limit.matches()) {
      String what = switch (limit.group(1)) {
        case "Number value" -> "a number " + limit.group(2) + " digits long; numbers have at most ";
        case "String value" -> "a text " + limit.group(2) + " characters long; texts have at most ";
        default -> "lists or objects nested " + limit.group(2) + " deep; they nest at most ";
      };
      return source + " holds " + what + limit.group(3) + where(e) + ". No workflow needs that.";
    }
    if (e instanceof StreamConstraintsException) {
      return source + " is beyond what a workflow holds" + where(e) + ": " + clean(original) + ".";
    }
    if (original.contains("maybe a (non-standard) comment")) {
      return source + " has a comment" + where(e) + "; JSON allows none. Remove it.";
    }
    return source + " is not valid JSON" + where(e) + ": " + clean(original) + ". " + RESTORE;
  }

  /**
   * A well-formed file whose content does not fit the workflow format, named by node and field.
   *
   * @param root the file's tree, to name the node and show the value found
   */
  static String content(JsonMappingException e, JsonNode root, String source) {
    List<JsonMappingException.Reference> path = e.getPath();
    String where = source + place(path, root);
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      Collection<Object> ids = u.getKnownPropertyIds();
      if (ids != null) {
        ids.forEach(id -> known.add(String.valueOf(id)));
      }
      String hint = NameHints.closest(u.getPropertyName(), known).map(s -> "; did you mean '" + s + "'?")
          .orElse(known.isEmpty() ? "" : "; the fields here are " + String.join(", ", known.stream().sorted()
              .toList()));
      return where + ": unknown field '" + u.getPropertyName() + "'" + hint;
    }
    JsonNode found = at(root, path);
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    String field = fieldOf(path);
    return where + (field == null ? "" : ", field '" + field + "'") + ": expected " + expected(target, field)
        + ", found " + describe(found);
  }

  /** " (line 3, column 7)", or nothing when Jackson does not know. */
  static String where(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr()
        + ")";
  }

  /** A value as a message shows it: "an object", "the text \"left\"", "the number 3". */
  static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isTextual()) {
      return "the text " + quote(v.textValue());
    }
    if (v.isBoolean()) {
      return String.valueOf(v.booleanValue());
    }
    return "the number " + abbreviate(v.asText());
  }

  /** A string quoted as JSON would write it, shortened; control characters show as escapes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length() && sb.length() < 60; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.append(sb.length() >= 60 ? "...\"" : "\"").toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 20) + "..." + s.substring(s.length() - 10) + " (" + s.length()
        + " digits)" : s;
  }

  private static String clean(String message) {
    String s = SOURCE_AT.matcher(message).replaceAll("line $1, column $2").replace("for Array", "for the list")
        .replace("for Object", "for the object");
    s = ENABLE_ADVICE.matcher(s).replaceAll("");
    s = JACKSON_ASIDE.matcher(s).replaceAll("");
    return s.strip();
  }

  /** ", node #3 ('sampler')" for a path into the nodes; ", link #2", ", group #1"; nothing at the top. */
  private static String place(List<JsonMappingException.Reference> path, JsonNode root) {
    if (path.size() >= 2 && path.get(1).getIndex() >= 0) {
      String list = path.get(0).getFieldName();
      int i = path.get(1).getIndex();
      String what = switch (String.valueOf(list)) {
        case "nodes" -> "node";
        case "links" -> "link";
        case "groups" -> "group";
        default -> list;
      };
      JsonNode id = root.path(list).path(i).path("id");
      return ", " + what + " #" + (i + 1) + (id.isTextual() && !id.textValue().isEmpty() ? " ('" + id.textValue()
          + "')" : "");
    }
    return "";
  }

  /** The innermost named field of the path below the node, link or group it is in; null for the item itself. */
  private static String fieldOf(List<JsonMappingException.Reference> path) {
    int first = path.size() >= 2 && path.get(1).getIndex() >= 0 ? 2 : 0;
    for (int i = path.size() - 1; i >= first; i--) {
      if (path.get(i).getFieldName() != null) {
        return path.get(i).getFieldName();
      }
    }
    return null;
  }

  private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> path) {
    JsonNode n = root;
    for (JsonMappingException.Reference r : path) {
      if (n == null) {
        return MissingNode.getInstance();
      }
      n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  /** What a field holds, in words. The field names cover the cases where Jackson gives no target type. */
  private static String expected(Class<?> target, String field) {
    if (target == null) {
      return switch (String.valueOf(field)) {
        case "pos", "size" -> "[x, y]";
        case "bounds" -> "[x, y, width, height]";
        case "nodes", "links", "groups" -> "a list";
        case "widgets", "extra" -> "an object";
        default -> "text";
      };
    }
    if (target == String.class) {
      return "text";
    }
    if (target == double[].class) {
      return field != null && field.equals("bounds") ? "[x, y, width, height] (numbers)" : "[x, y] (numbers)";
    }
    if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(target) || target == double.class) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(target)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(target) || JsonNode.class.isAssignableFrom(target) || target.isRecord()) {
      return "an object";
    }
    return "another kind of value";
  }
}
