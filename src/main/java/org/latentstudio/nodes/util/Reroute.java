package org.latentstudio.nodes.util;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;

/** A dot that tidies wires: passes its input through unchanged, taking on the type of what feeds it. */
public final class Reroute implements NodeType {
  static final InPort<Object> INPUT = InPort.linked("input", PortType.ANY, Object.class);
  static final OutPort<Object> OUTPUT = OutPort.forwarding("output", "input");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("Reroute", "Reroute", "utils", List.of(INPUT), List.of(OUTPUT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(OUTPUT, in.get(INPUT));
  }
}
