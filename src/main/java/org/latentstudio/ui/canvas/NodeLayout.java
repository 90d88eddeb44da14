package org.latentstudio.ui.canvas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.Vec2;

/**
 * Where everything sits inside a node, in canvas units relative to its top-left corner: the title bar, one row
 * per link-only input and output side by side, then one row per widget, each with its own input dot on the
 * left so a widget can also be fed by a wire. Pure arithmetic, so wires, hit tests and tests agree with the
 * drawing.
 */
public final class NodeLayout {
  public static final double TITLE_H = 26;
  public static final double SLOT_H = 22;
  public static final double WIDGET_H = 24;
  public static final double WIDGET_GAP = 4;
  public static final double TEXT_H = 88;
  public static final double PAD = 8;
  public static final double PORT_R = 5;
  public static final double MIN_WIDTH = 160;
  public static final Vec2 REROUTE_SIZE = new Vec2(48, 22);

  /** A port and where its dot is. */
  public record Port(String name, PortType type, boolean input, double x, double y, InputSpec input0) {}

  /** A widget row: its input and its box. */
  public record WidgetRow(InputSpec spec, double x, double y, double width, double height) {}

  private final List<Port> inputs = new ArrayList<>();
  private final List<Port> outputs = new ArrayList<>();
  private final List<WidgetRow> widgets = new ArrayList<>();
  private final double width;
  private final double height;
  private final boolean reroute;
  private final boolean note;

  private NodeLayout(NodeSchema schema, Node node) {
    reroute = schema.typeId().equals("Reroute");
    note = schema.typeId().equals("Note");
    if (reroute) {
      width = REROUTE_SIZE.x();
      height = REROUTE_SIZE.y();
      double cy = height / 2;
      for (InputSpec in : schema.inputs()) {
        inputs.add(new Port(in.name(), in.type(), true, 0, cy, in));
      }
      for (OutputSpec out : schema.outputs()) {
        outputs.add(new Port(out.name(), out.type(), false, width, cy, null));
      }
      return;
    }
    width = Math.max(MIN_WIDTH, node.size().x());
    List<InputSpec> linkOnly = schema.inputs().stream().filter(i -> !i.hasWidget()).toList();
    List<InputSpec> withWidget = schema.inputs().stream().filter(InputSpec::hasWidget).toList();
    int slotRows = Math.max(linkOnly.size(), schema.outputs().size());
    double y = TITLE_H + 4;
    for (int r = 0; r < slotRows; r++) {
      double cy = y + SLOT_H / 2;
      if (r < linkOnly.size()) {
        InputSpec in = linkOnly.get(r);
        inputs.add(new Port(in.name(), in.type(), true, 0, cy, in));
      }
      if (r < schema.outputs().size()) {
        OutputSpec out = schema.outputs().get(r);
        outputs.add(new Port(out.name(), out.type(), false, width, cy, null));
      }
      y += SLOT_H;
    }
    if (slotRows > 0) {
      y += 4;
    }
    int multilines = (int) withWidget.stream().filter(InputSpec::multiline).count();
    double fixed = y + PAD;
    for (InputSpec in : withWidget) {
      fixed += (in.multiline() ? TEXT_H : WIDGET_H) + WIDGET_GAP;
    }
    // a node made taller by its user gives the extra room to its text boxes
    double extra = multilines > 0 ? Math.max(0, node.size().y() - fixed) / multilines : 0;
    for (InputSpec in : withWidget) {
      double h = in.multiline() ? TEXT_H + extra : WIDGET_H;
      widgets.add(new WidgetRow(in, PAD, y, width - 2 * PAD, h));
      inputs.add(new Port(in.name(), in.type(), true, 0, y + Math.min(h, WIDGET_H) / 2, in));
      y += h + WIDGET_GAP;
    }
    height = Math.max(y - WIDGET_GAP + PAD, TITLE_H + 12);
  }

  public static NodeLayout of(NodeSchema schema, Node node) {
    return new NodeLayout(schema, node);
  }

  /** The size a new node of this type gets. */
  public static Vec2 preferredSize(NodeSchema schema) {
    if (schema.typeId().equals("Reroute")) {
      return REROUTE_SIZE;
    }
    boolean wide = schema.inputs().stream().anyMatch(InputSpec::multiline) || schema.inputs().size() > 4;
    double w = schema.typeId().equals("Note") ? 260 : wide ? 300 : 240;
    Node probe = Node.of("probe", schema.typeId()).withSize(new Vec2(w, 0));
    return new Vec2(w, new NodeLayout(schema, probe).height());
  }

  public List<Port> inputs() {
    return inputs;
  }

  public List<Port> outputs() {
    return outputs;
  }

  public List<WidgetRow> widgets() {
    return widgets;
  }

  public Optional<Port> input(String name) {
    return Optional.ofNullable(port(name, true));
  }

  public Optional<Port> output(String name) {
    return Optional.ofNullable(port(name, false));
  }

  /** The port by name, or null; wires look ports up every frame, so this is a map. */
  public Port port(String name, boolean input) {
    if (byName == null) {
      byName = new java.util.HashMap<>();
      for (Port p : inputs) {
        byName.put("i" + p.name(), p);
      }
      for (Port p : outputs) {
        byName.put("o" + p.name(), p);
      }
    }
    return byName.get((input ? "i" : "o") + name);
  }

  private java.util.Map<String, Port> byName;

  public double width() {
    return width;
  }

  /** Height of the ports and widgets; results and errors shown on the node add to it. */
  public double height() {
    return height;
  }

  public boolean isReroute() {
    return reroute;
  }

  public boolean isNote() {
    return note;
  }
}
