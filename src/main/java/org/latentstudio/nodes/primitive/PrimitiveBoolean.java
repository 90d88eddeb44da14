package org.latentstudio.nodes.primitive;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;

/** A switch. */
public final class PrimitiveBoolean implements NodeType {
  static final InPort<Boolean> VALUE = InPort.bool("value", false);
  static final OutPort<Boolean> BOOLEAN = OutPort.of("BOOLEAN", PortType.BOOLEAN, Boolean.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("PrimitiveBoolean", "Boolean", "utils/primitive", List.of(VALUE), List.of(BOOLEAN));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(BOOLEAN, in.get(VALUE));
  }
}
