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

/** A number with a fractional part. */
public final class PrimitiveFloat implements NodeType {
  static final InPort<Double> VALUE = InPort.number("value", 0, -Double.MAX_VALUE, Double.MAX_VALUE).step(0.01);
  static final OutPort<Double> FLOAT = OutPort.of("FLOAT", PortType.FLOAT, Double.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("PrimitiveFloat", "Float", "utils/primitive", List.of(VALUE), List.of(FLOAT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(FLOAT, in.get(VALUE));
  }
}
