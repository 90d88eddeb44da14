package org.latentstudio.nodes.util;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;

/** A sticky note on the canvas. It has no ports and never runs. */
public final class Note implements NodeType {
  static final InPort<String> TEXT = InPort.text("text", "").multiline();

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("Note", "Note", "utils", List.of(TEXT), List.of());
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) {
    return Outputs.none();
  }
}
