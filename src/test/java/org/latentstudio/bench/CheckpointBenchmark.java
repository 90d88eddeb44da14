package org.latentstudio.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.app.Settings;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.runtime.SdModels;
import org.latentstudio.runtime.UNet;
import org.latentstudio.tensor.Tensor;

/**
 * A full-size SD1.x checkpoint through the compiler: graph build time, UNet session creation time, peak resident
 * memory against the fp32 weights, and one UNet step (batch 2, as classifier-free guidance runs it) at 256² and
 * 512², side by side with the same weights exported by torch.onnx in the optimum layout when one is given.
 * Make the files with {@code src/python/compiler/make_fullsize.py --out DIR}, then:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java --enable-native-access=ALL-UNNAMED -Xss16m -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
 *   org.latentstudio.bench.CheckpointBenchmark DIR/sd15-random-fp16.safetensors DIR/optimum/unet/model.onnx [rounds] [sizes]
 * </pre>
 * (a plain JVM: under Maven's exec plugin the process's memory would include Maven's). The compiled UNet uses
 * fused attention, as the app does; {@code -Dlatentstudio.fused.attention=false} spells it out.
 * Peak memory is the process's (VmHWM) after the compiled UNet session exists, before the ONNX export is
 * loaded; the step figures alternate between the two graphs so both see the same machine load.
 */
public final class CheckpointBenchmark {
  private CheckpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path checkpoint = Path.of(args[0]);
    Path optimum = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int[] sizes = args.length > 3 ? java.util.Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {256, 512};
    Path cache = Files.createTempDirectory("graph-cache");
    System.out.printf("checkpoint %s (%.2f GB), load average %s%n", checkpoint, Files.size(checkpoint) / 1e9,
        loadAverage());

    long t0 = System.nanoTime();
    GraphCache graphs = new GraphCache(cache);
    SdModel model = SdModels.open(checkpoint, null, graphs,
        new CompileOptions(false, !"false".equals(System.getProperty("latentstudio.fused.attention"))));
    double readMs = (System.nanoTime() - t0) / 1e6;
    long t1 = System.nanoTime();
    List<ModelSource.Compiled> parts = new ArrayList<>();
    for (ModelSource s : List.of(model.textEncoder(), model.unet(), model.vaeDecoder(), model.vaeEncoder())) {
      parts.add((ModelSource.Compiled) s);
    }
    long graphBytes = 0;
    for (ModelSource.Compiled p : parts) {
      graphBytes += p.graph().get().onnx().length;
    }
    double buildMs = (System.nanoTime() - t1) / 1e6;
    long fp32Bytes = parts.stream().mapToLong(ModelSource.Compiled::weightBytes).sum();
    long unetFp32 = parts.get(1).weightBytes();
    System.out.printf("read header and configs %.0f ms; build 4 graphs %.0f ms (%.1f MB of graphs)%n", readMs,
        buildMs, graphBytes / 1e6);
    System.out.printf("fp32 weights: all parts %.2f GB, UNet %.2f GB (the VAE's counted for both halves)%n",
        fp32Bytes / 1e9, unetFp32 / 1e9);

    try (OrtRuntime runtime = new OrtRuntime(Settings.fromSystemProperties().runtime(System.getProperties()))) {
      System.out.printf("resident before the UNet session %.2f GB (the JVM, ONNX Runtime, the other graphs)%n",
          Memory.residentBytes() / 1e9);
      long t2 = System.nanoTime();
      try (UNet compiled = UNet.open(runtime, model)) {
        double sessionS = (System.nanoTime() - t2) / 1e9;
        long peak = Memory.peakResidentBytes();
        System.out.printf("UNet session created in %.1f s; peak resident %.2f GB = %.2fx the UNet's fp32 weights%n",
            sessionS, peak / 1e9, (double) peak / unetFp32);
        UNet exported = optimum == null ? null : UNet.open(runtime, ModelSource.of(optimum));
        try {
          for (int size : sizes) {
            steps(compiled, exported, size, rounds);
          }
        } finally {
          if (exported != null) {
            exported.close();
          }
        }
        System.out.printf("peak resident at the end %.2f GB%n", Memory.peakResidentBytes() / 1e9);
      }
    }
  }

  private static void steps(UNet compiled, UNet exported, int pixels, int rounds) throws Exception {
    int h = pixels / 8;
    Random r = new Random(1);
    float[] x = new float[2 * 4 * h * h];
    float[] c = new float[2 * 77 * 768];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) r.nextGaussian() * 0.5f;
    }
    Tensor sample = Tensor.of(x, 2, 4, h, h);
    Tensor context = Tensor.of(c, 2, 77, 768);
    compiled.predict(sample, 500f, context);
    if (exported != null) {
      exported.predict(sample, 500f, context);
    }
    double[] a = new double[rounds];
    double[] b = new double[rounds];
    float diff = 0;
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      Tensor pa = compiled.predict(sample, 500f, context);
      a[i] = (System.nanoTime() - t) / 1e9;
      if (exported != null) {
        t = System.nanoTime();
        Tensor pb = exported.predict(sample, 500f, context);
        b[i] = (System.nanoTime() - t) / 1e9;
        diff = Math.max(diff, pa.maxAbsDiff(pb));
      }
    }
    System.out.printf("%d²: one UNet step (batch 2): compiled %.2f s median (min %.2f)%s, load %s%n", pixels,
        Stats.median(a), Stats.min(a), exported == null ? ""
            : String.format(", torch.onnx export %.2f s median (min %.2f), max |difference| %.2e", Stats.median(b),
            Stats.min(b), diff), loadAverage());
  }

  private static String loadAverage() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  /** The process's resident set and its peak (Linux VmRSS, VmHWM). */
  static final class Memory {
    static long peakResidentBytes() throws Exception {
      return status("VmHWM:");
    }

    static long residentBytes() throws Exception {
      return status("VmRSS:");
    }

    private static long status(String field) throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    }
  }
}
