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

/** A piece of text, such as a prompt shared by several encoders. */
public final class PrimitiveString implements NodeType {
  static final InPort<String> VALUE = InPort.text("value", "").multiline();
  static final OutPort<String> STRING = OutPort.of("STRING", PortType.STRING, String.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("PrimitiveString", "String", "utils/primitive", List.of(VALUE), List.of(STRING));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.of(STRING, in.get(VALUE));
  }
}
