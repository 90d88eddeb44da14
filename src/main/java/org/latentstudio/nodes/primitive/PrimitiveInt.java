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

/** A whole number to feed several inputs at once (one seed for two samplers, say). */
public final class PrimitiveInt implements NodeType {
  static final InPort<Long> VALUE = InPort.integer("value", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  static final OutPort<Long> INT = OutPort.of("INT", PortType.INT, Long.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("PrimitiveInt", "Integer", "utils/primitive", List.of(VALUE), List.of(INT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(INT, in.get(VALUE));
  }
}
