package org.latentstudio.nodes.util;

import java.util.List;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortType;

/** An output node that shows whatever reaches it as text: on the node in the studio, on stdout in the CLI. */
public final class ShowValue implements NodeType {
  static final InPort<Object> VALUE = InPort.linked("value", PortType.ANY, Object.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("ShowValue", "Show Value", "utils", List.of(VALUE), List.of()).asOutputNode();
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    return Outputs.none().withDisplay(Display.text(String.valueOf(in.get(VALUE))));
  }
}
