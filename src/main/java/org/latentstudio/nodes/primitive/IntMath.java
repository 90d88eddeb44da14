package org.latentstudio.nodes.primitive;

import java.util.List;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;

/** Integer arithmetic. Overflow is an error rather than a silent wrap-around. */
public final class IntMath implements NodeType {
  static final InPort<Long> A = InPort.integer("a", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  static final InPort<Long> B = InPort.integer("b", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  static final InPort<String> OPERATION = InPort.choice("operation", "add",
      List.of("add", "subtract", "multiply", "divide", "modulo", "min", "max"));
  static final OutPort<Long> INT = OutPort.of("INT", PortType.INT, Long.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("IntMath", "Integer Math", "utils/math", List.of(A, B, OPERATION), List.of(INT))
        .describedAs("a (operation) b; division rounds toward zero");
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    long a = in.get(A);
    long b = in.get(B);
    String op = in.get(OPERATION);
    try {
      long r = switch (op) {
        case "add" -> Math.addExact(a, b);
        case "subtract" -> Math.subtractExact(a, b);
        case "multiply" -> Math.multiplyExact(a, b);
        case "divide" -> a / nonZero(b);
        case "modulo" -> a % nonZero(b);
        case "min" -> Math.min(a, b);
        case "max" -> Math.max(a, b);
        default -> throw new NodeException("unknown operation '" + op + "'");
      };
      return Outputs.of(INT, r);
    } catch (ArithmeticException e) {
      throw new NodeException(op + " of " + a + " and " + b + " overflows a 64-bit integer; use smaller values");
    }
  }

  private static long nonZero(long b) throws NodeException {
    if (b == 0) {
      throw new NodeException("division by zero: set b to a value other than 0");
    }
    return b;
  }
}
