package org.latentstudio.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node instance: its id, its type id (the stable string workflow files store), an optional title,
 * its widget values by input name, and its place on the canvas. Immutable; the {@code with...} methods copy.
 *
 * <p>Widget values are plain JSON-like values: {@link Long} for INT, {@link Double} for FLOAT, {@link String},
 * {@link Boolean}. The order of {@code widgets} is kept so that saving is byte-stable.
 */
public record Node(
    NodeId id, String type, String title, Map<String, Object> widgets, Vec2 position, Vec2 size, NodeMode mode) {

  public static final Vec2 DEFAULT_SIZE = new Vec2(240, 120);

  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(mode, "mode");
    widgets = Collections.unmodifiableMap(new LinkedHashMap<>(widgets));
  }

  public static Node of(String id, String type) {
    return new Node(NodeId.of(id), type, null, Map.of(), Vec2.ZERO, DEFAULT_SIZE, NodeMode.NORMAL);
  }

  /** The title shown on the canvas: the user's title, else the given display name of the type. */
  public String titleOr(String displayName) {
    return title == null || title.isBlank() ? displayName : title;
  }

  public Node withWidget(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(widgets);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return new Node(id, type, title, copy, position, size, mode);
  }

  public Node withWidgets(Map<String, Object> newWidgets) {
    return new Node(id, type, title, newWidgets, position, size, mode);
  }

  public Node withPosition(Vec2 newPosition) {
    return new Node(id, type, title, widgets, newPosition, size, mode);
  }

  public Node withSize(Vec2 newSize) {
    return new Node(id, type, title, widgets, position, newSize, mode);
  }

  public Node withMode(NodeMode newMode) {
    return new Node(id, type, title, widgets, position, size, newMode);
  }

  public Node withTitle(String newTitle) {
    return new Node(id, type, newTitle, widgets, position, size, mode);
  }

  public Node withId(NodeId newId) {
    return new Node(newId, type, title, widgets, position, size, mode);
  }
}
