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

/** Joins two texts, e.g. a subject and a shared style suffix. */
public final class StringConcat implements NodeType {
  static final InPort<String> A = InPort.text("a", "").multiline();
  static final InPort<String> B = InPort.text("b", "").multiline();
  static final InPort<String> SEPARATOR = InPort.text("separator", ", ");
  static final OutPort<String> STRING = OutPort.of("STRING", PortType.STRING, String.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("StringConcat", "Join Text", "utils/text", List.of(A, B, SEPARATOR), List.of(STRING));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    String a = in.get(A);
    String b = in.get(B);
    String joined = a.isEmpty() || b.isEmpty() ? a + b : a + in.get(SEPARATOR) + b;
    return Outputs.of(STRING, joined);
  }
}
