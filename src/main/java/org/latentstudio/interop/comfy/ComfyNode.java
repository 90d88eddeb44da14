package org.latentstudio.interop.comfy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ComfyUI node type and the node type it is here. Its slots are ComfyUI's inputs in {@code INPUT_TYPES}
 * order, which is also the order of the widgets in a UI workflow's positional {@code widgets_values}; its
 * outputs are ComfyUI's return types in order, each with the name of our output port.
 *
 * @param comfyType   ComfyUI's class name ("CheckpointLoaderSimple")
 * @param ourType     our type id ("CheckpointLoader")
 * @param displayName the title ComfyUI shows for the type, which a UI workflow leaves out unless renamed
 */
public record ComfyNode(String comfyType, String ourType, String displayName, List<Slot> slots,
    List<Output> outputs) {

  /** One ComfyUI input, or a widget only ComfyUI's front end has. */
  public sealed interface Slot permits Link, Widget, FrontEndWidget, Fixed {}

  /** An input only a link can feed. */
  public record Link(String comfyName, String ourName, String comfyTypeName) implements Slot {}

  /**
   * A widget input. {@code controlAfterGenerate} adds the front end's "control after generate" value right
   * after it in {@code widgets_values} (fixed, increment, decrement, randomize), which is our widget
   * {@code <ourName>.after_run}.
   */
  public record Widget(String comfyName, String ourName, String comfyTypeName, ValueMapping mapping,
      boolean controlAfterGenerate) implements Slot {}

  /** A widget the front end adds that the API never sees, such as LoadImage's upload button. */
  public record FrontEndWidget(String name, Object value) implements Slot {}

  /**
   * A ComfyUI widget whose one value is what our node does (IPAdapterAdvanced's embeds_scaling "V only"): written
   * in UI workflows and API prompts alike, so ComfyUI gets every input it requires; nothing here reads it.
   */
  public record Fixed(String comfyName, Object value) implements Slot {}

  /** A ComfyUI output slot and our output port. */
  public record Output(String comfyTypeName, String ourName) {}

  public ComfyNode {
    Objects.requireNonNull(comfyType, "comfyType");
    Objects.requireNonNull(ourType, "ourType");
    slots = List.copyOf(slots);
    outputs = List.copyOf(outputs);
  }

  /** Starts a table entry; slots are then added in ComfyUI's order. */
  public static Builder of(String comfyType, String ourType, String displayName) {
    return new Builder(comfyType, ourType, displayName);
  }

  public List<Widget> widgets() {
    return slots.stream().filter(Widget.class::isInstance).map(Widget.class::cast).toList();
  }

  public List<Fixed> fixedWidgets() {
    return slots.stream().filter(Fixed.class::isInstance).map(Fixed.class::cast).toList();
  }

  public List<Link> links() {
    return slots.stream().filter(Link.class::isInstance).map(Link.class::cast).toList();
  }

  /** Our input for a ComfyUI input name (link or widget). */
  public Optional<String> ourInput(String comfyName) {
    for (Slot s : slots) {
      if (s instanceof Link l && l.comfyName().equals(comfyName)) {
        return Optional.of(l.ourName());
      }
      if (s instanceof Widget w && w.comfyName().equals(comfyName)) {
        return Optional.of(w.ourName());
      }
    }
    return Optional.empty();
  }

  /** ComfyUI's input name for one of ours, if ComfyUI has that input. */
  public Optional<String> comfyInput(String ourName) {
    for (Slot s : slots) {
      if (s instanceof Link l && l.ourName().equals(ourName)) {
        return Optional.of(l.comfyName());
      }
      if (s instanceof Widget w && w.ourName().equals(ourName)) {
        return Optional.of(w.comfyName());
      }
    }
    return Optional.empty();
  }

  public Optional<Widget> widget(String comfyName) {
    return widgets().stream().filter(w -> w.comfyName().equals(comfyName)).findFirst();
  }

  /** The index of our output port among ComfyUI's output slots, or -1. */
  public int outputSlot(String ourName) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).ourName().equals(ourName)) {
        return i;
      }
    }
    return -1;
  }

  /** Collects one entry's slots in ComfyUI's order. */
  public static final class Builder {
    private final String comfyType;
    private final String ourType;
    private final String displayName;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    private Builder(String comfyType, String ourType, String displayName) {
      this.comfyType = comfyType;
      this.ourType = ourType;
      this.displayName = displayName;
    }

    /** A link input of the same name here. */
    public Builder link(String name, String type) {
      slots.add(new Link(name, name, type));
      return this;
    }

    /** A widget of the same name and meaning here. */
    public Builder widget(String name, String type) {
      return widget(name, name, type, ValueMapping.SAME);
    }

    public Builder widget(String comfyName, String ourName, String type, ValueMapping mapping) {
      slots.add(new Widget(comfyName, ourName, type, mapping, false));
      return this;
    }

    /** A seed: a widget followed by its "control after generate" value. */
    public Builder seed(String comfyName, String ourName) {
      slots.add(new Widget(comfyName, ourName, "INT", ValueMapping.SAME, true));
      return this;
    }

    public Builder frontEndWidget(String name, Object value) {
      slots.add(new FrontEndWidget(name, value));
      return this;
    }

    public Builder fixed(String comfyName, Object value) {
      slots.add(new Fixed(comfyName, value));
      return this;
    }

    /** An output slot of ComfyUI type {@code type} that is our port {@code ourName}. */
    public Builder output(String type, String ourName) {
      outputs.add(new Output(type, ourName));
      return this;
    }

    /** Output slots whose port names here are ComfyUI's type names. */
    public Builder outputs(String... types) {
      for (String t : types) {
        outputs.add(new Output(t, t));
      }
      return this;
    }

    public ComfyNode build() {
      return new ComfyNode(comfyType, ourType, displayName, slots, outputs);
    }
  }
}
