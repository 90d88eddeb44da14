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

/** Floating-point arithmetic. */
public final class FloatMath implements NodeType {
  static final InPort<Double> A = InPort.number("a", 0, -Double.MAX_VALUE, Double.MAX_VALUE).step(0.01);
  static final InPort<Double> B = InPort.number("b", 0, -Double.MAX_VALUE, Double.MAX_VALUE).step(0.01);
  static final InPort<String> OPERATION = InPort.choice("operation", "add",
      List.of("add", "subtract", "multiply", "divide", "power", "min", "max"));
  static final OutPort<Double> FLOAT = OutPort.of("FLOAT", PortType.FLOAT, Double.class);

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("FloatMath", "Float Math", "utils/math", List.of(A, B, OPERATION), List.of(FLOAT));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    double a = in.get(A);
    double b = in.get(B);
    String op = in.get(OPERATION);
    double r = switch (op) {
      case "add" -> a + b;
      case "subtract" -> a - b;
      case "multiply" -> a * b;
      case "divide" -> {
        if (b == 0) {
          throw new NodeException("division by zero: set b to a value other than 0");
        }
        yield a / b;
      }
      case "power" -> Math.pow(a, b);
      case "min" -> Math.min(a, b);
      case "max" -> Math.max(a, b);
      default -> throw new NodeException("unknown operation '" + op + "'");
    };
    if (!Double.isFinite(r)) {
      throw new NodeException(op + " of " + a + " and " + b + " is not a finite number");
    }
    return Outputs.of(FLOAT, r);
  }
}
