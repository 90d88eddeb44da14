package org.latentstudio.graph;

import java.util.List;
import java.util.Objects;

/**
 * The declaration of one input: its type and, for primitive types, the widget that edits it.
 *
 * @param min       inclusive lower bound ({@link Long} for INT, {@link Double} for FLOAT), or null
 * @param max       inclusive upper bound, or null
 * @param step      the increment the editor uses when dragging, or null
 * @param choices   for a combo box: the allowed values, else an empty list
 * @param multiline a multi-line text field (prompts)
 * @param optional  the node runs without it
 * @param seed      an INT seed: the editor offers "randomize after run"
 * @param fileKind  a file or model picker of this kind ("checkpoint", "image", ...), or null
 */
public record InputSpec(
    String name,
    PortType type,
    Object defaultValue,
    Number min,
    Number max,
    Number step,
    List<String> choices,
    boolean multiline,
    boolean optional,
    boolean seed,
    String fileKind,
    String tooltip) {

  public InputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    choices = List.copyOf(choices);
  }

  /** Whether the value can live on the node as a widget (as opposed to arriving only by link). */
  public boolean hasWidget() {
    return type.isPrimitive();
  }

  public boolean hasChoices() {
    return !choices.isEmpty();
  }

  /** A value-less input must be linked unless it is optional; a widget input falls back to its default. */
  public boolean requiresLink() {
    return !optional && !hasWidget();
  }
}
