package org.latentstudio.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Times one ONNX model under several intra-op thread counts, with the session options {@code OrtRuntime} uses
 * (all graph optimisations, idle threads not spinning). Rounds alternate between the settings so that machine
 * load hits them alike. Float inputs get their shapes' fixed sizes, symbolic sizes become 1 (batch) or 32.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.latentstudio.bench.ThreadsBenchmark \
 *   -Dexec.args="MODEL.onnx [ROUNDS] [RUNS_PER_ROUND] [THREADS,...]"</pre>
 */
public final class ThreadsBenchmark {
  public static void main(String[] args) throws Exception {
    String model = args[0];
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String[] counts = (args.length > 3 ? args[3] : "0,1,2").split(",");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession[] sessions = new OrtSession[counts.length];
    for (int i = 0; i < counts.length; i++) {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setIntraOpNumThreads(Integer.parseInt(counts[i]));
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      sessions[i] = env.createSession(model, o);
    }
    Map<String, OnnxTensor> inputs = inputs(env, sessions[0]);
    double[][] ms = new double[counts.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < counts.length; i++) {
        int k = (r % 2 == 0) ? i : counts.length - 1 - i; // alternate the order as well
        sessions[k].run(inputs).close(); // one untimed run per round
        long t0 = System.nanoTime();
        for (int n = 0; n < runs; n++) {
          sessions[k].run(inputs).close();
        }
        ms[k][r] = (System.nanoTime() - t0) / 1e6 / runs;
      }
    }
    for (int i = 0; i < counts.length; i++) {
      System.out.printf("threads=%s: median of %d rounds %.2f ms per run (min %.2f)%n", counts[i], rounds,
          Stats.median(ms[i]), Stats.min(ms[i]));
    }
  }

  private static Map<String, OnnxTensor> inputs(OrtEnvironment env, OrtSession s) throws Exception {
    Map<String, OnnxTensor> in = new HashMap<>();
    for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
      long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape().clone();
      long n = 1;
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] < 0) {
          shape[d] = d == 0 ? 1 : 32;
        }
        n *= shape[d];
      }
      FloatBuffer b = FloatBuffer.allocate((int) n);
      for (int i = 0; i < n; i++) {
        b.put(i, (float) Math.sin(i));
      }
      in.put(e.getKey(), OnnxTensor.createTensor(env, b, shape));
    }
    return in;
  }
}
