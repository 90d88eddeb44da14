package org.latentstudio.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.SizedValue;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;

/**
 * Stub node types that count their evaluations, for executor tests:
 * {@code Const(value) -> INT}, {@code Add(a, b) -> INT}, {@code Sink(value)} (an output node),
 * {@code Blob(a, bytes) -> LATENT} (a value of a given size), {@code Spin(a) -> INT} (loops until cancelled,
 * checking for it), {@code Fail(a)} (throws a user-facing error).
 */
public final class CountingNodes {
  public final Map<String, AtomicInteger> evaluations = new ConcurrentHashMap<>();
  public final CountDownLatch spinStarted = new CountDownLatch(1);

  public int count(String type) {
    return evaluations.getOrDefault(type, new AtomicInteger()).get();
  }

  public int total() {
    return evaluations.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public void reset() {
    evaluations.clear();
  }

  public NodeRegistry registry() {
    return new NodeRegistry()
        .register(new Const())
        .register(new Add())
        .register(new Sink())
        .register(new Blob())
        .register(new Spin())
        .register(new Fail());
  }

  private void counted(String type) {
    evaluations.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
  }

  /** A sized value for cache-budget tests. */
  public record Bytes(long byteSize, long tag) implements SizedValue {}

  static final OutPort<Long> INT = OutPort.of("INT", PortType.INT, Long.class);
  static final InPort<Long> A = InPort.integer("a", 0, -1_000_000, 1_000_000);
  static final InPort<Long> B = InPort.integer("b", 0, -1_000_000, 1_000_000);

  final class Const implements NodeType {
    static final InPort<Long> VALUE = InPort.integer("value", 0, -1_000_000, 1_000_000);

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Const", "Const", "test", List.of(VALUE), List.of(INT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Const");
      return Outputs.of(INT, in.get(VALUE));
    }
  }

  final class Add implements NodeType {
    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Add", "Add", "test", List.of(A, B), List.of(INT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Add");
      return Outputs.of(INT, in.get(A) + in.get(B));
    }
  }

  final class Sink implements NodeType {
    static final InPort<Object> VALUE = InPort.linked("value", PortType.ANY, Object.class);

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Sink", "Sink", "test", List.of(VALUE), List.of()).asOutputNode();
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Sink");
      return Outputs.none().withDisplay(Display.text(String.valueOf(in.get(VALUE))));
    }
  }

  final class Blob implements NodeType {
    static final InPort<Long> BYTES = InPort.integer("bytes", 1000, 0, Long.MAX_VALUE);
    static final OutPort<Bytes> LATENT = OutPort.of("LATENT", PortType.LATENT, Bytes.class);

    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Blob", "Blob", "test", List.of(A, BYTES), List.of(LATENT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Blob");
      return Outputs.of(LATENT, new Bytes(in.get(BYTES), in.get(A)));
    }
  }

  final class Spin implements NodeType {
    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Spin", "Spin", "test", List.of(A), List.of(INT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Spin");
      spinStarted.countDown();
      for (int step = 0; ; step++) {
        ctx.progress(step % 100, 100);
        Thread.onSpinWait();
      }
    }
  }

  final class Fail implements NodeType {
    @Override
    public NodeSchema schema() {
      return NodeSchema.of("Fail", "Fail", "test", List.of(A), List.of(INT));
    }

    @Override
    public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
      counted("Fail");
      throw new NodeException("the model file is missing; put it in the models folder");
    }
  }
}
