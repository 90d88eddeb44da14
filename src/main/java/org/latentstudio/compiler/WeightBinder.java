package org.latentstudio.compiler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.weights.DType;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightSet;

/**
 * Binds the graph's weights, by their diffusers/transformers parameter names, to tensors in the user's files.
 * Each weight becomes an external-data initializer of that name pointing into the file (so a later weight
 * override can find it by name), cast to the compute type when the file stores another. Missing weights and
 * wrong shapes are collected over the whole build and reported together: a user learns everything that does
 * not fit at once, not one key per attempt.
 */
final class WeightBinder {
  private final OnnxGraph graph;
  private final WeightSet weights;
  private final Path folder;
  private final int computeType;
  private final String component;
  private final Set<String> used = new LinkedHashSet<>();
  private final List<String> missing = new ArrayList<>();
  private final List<String> wrongShape = new ArrayList<>();
  private final Map<String, String> bound = new HashMap<>();
  private final Set<String> declaredNames = new java.util.HashSet<>();

  /**
   * @param folder      the folder every weight file of this component lies in (external data is relative to it)
   * @param computeType OnnxGraph.FLOAT or FLOAT16
   */
  WeightBinder(OnnxGraph graph, WeightSet weights, Path folder, int computeType, String component) {
    this.graph = graph;
    this.weights = weights;
    this.folder = folder;
    this.computeType = computeType;
    this.component = component;
  }

  int computeType() {
    return computeType;
  }

  boolean has(String param) {
    return weights.has(param);
  }

  /** The shape of a weight in the file, or null if it is missing. */
  long[] shapeOf(String param) {
    return weights.find(param).map(StoredTensor::shape).orElse(null);
  }

  /**
   * The weight {@code param} as a value of the compute type.
   *
   * @param expected its shape; -1 stands for a size the config does not fix. A stored shape that differs only by
   *                 size-1 axes (an LDM 1×1 conv where diffusers has a Linear) is viewed as the expected one.
   */
  String get(String param, long... expected) {
    return getAs(param, expected, null);
  }

  /** Like {@link #get}, declared with the shape {@code declared} (same element count): GroupNorm's [C] as [C,1,1]. */
  String getAs(String param, long[] expected, long[] declared) {
    String key = param + Arrays.toString(declared);
    String done = bound.get(key);
    if (done != null) {
      return done;
    }
    StoredTensor t = weights.find(param).orElse(null);
    if (t == null) {
      missing.add(param);
      return placeholder(param);
    }
    used.add(param);
    long[] dims = fits(t.shape(), expected);
    if (dims == null) {
      wrongShape.add(param + " is " + Arrays.toString(t.shape()) + ", the config needs " + shapeText(expected));
      return placeholder(param);
    }
    if (!t.dtype().isFloatWeight()) {
      wrongShape.add(param + " holds " + t.dtype().torchName() + " values, not float32, float16 or bfloat16");
      return placeholder(param);
    }
    if (declared != null) {
      dims = declared;
    }
    // the plain parameter name where possible: weight overrides (LoRA) look initializers up by it
    String name = declaredNames.add(param) ? param : param + Arrays.toString(dims);
    String location = location(t);
    String value = graph.external(name, t.dtype().onnxType(), dims, location, t.offset(), t.length());
    if (t.dtype().onnxType() != computeType) {
      // ONNX Runtime folds this cast once, when the session is created: fp16 files run in fp32 on the CPU
      value = graph.op("Cast", value, OnnxGraph.Attr.i("to", computeType));
    }
    bound.put(key, value);
    return value;
  }

  /** The weight file relative to the folder ONNX Runtime resolves external data against ('/' separated). */
  private String location(StoredTensor t) {
    Path rel = folder.relativize(t.file().toAbsolutePath().normalize());
    if (rel.isAbsolute() || rel.getNameCount() == 0 || rel.startsWith("..")) {
      throw new IllegalStateException(component + ": weight " + t.name() + " is in " + t.file()
          + ", outside the component folder " + folder);
    }
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      sb.append(sb.isEmpty() ? "" : "/").append(part);
    }
    return sb.toString();
  }

  /**
   * The deepest folder holding both {@code a} and {@code b}: a graph whose weights come from two files (a UNet and
   * an IP-Adapter) names them relative to it.
   */
  static Path commonFolder(Path a, Path b) {
    Path x = a.toAbsolutePath().normalize();
    Path y = b.toAbsolutePath().normalize();
    while (x != null && !y.startsWith(x)) {
      x = x.getParent();
    }
    if (x == null) {
      throw new IllegalStateException(a + " and " + b + " share no folder");
    }
    return x;
  }

  private String placeholder(String param) {
    return "missing:" + param;
  }

  /** The dims to declare, or null if the stored shape does not fit the expected one. */
  private static long[] fits(long[] actual, long[] expected) {
    if (actual.length == expected.length) {
      boolean ok = true;
      for (int i = 0; i < actual.length; i++) {
        ok &= expected[i] < 0 || expected[i] == actual[i];
      }
      if (ok) {
        return actual;
      }
    }
    long[] a = Arrays.stream(actual).filter(d -> d != 1).toArray();
    long[] e = Arrays.stream(expected).filter(d -> d != 1).toArray();
    boolean concrete = Arrays.stream(expected).allMatch(d -> d >= 0);
    return concrete && Arrays.equals(a, e) ? expected : null;
  }

  private static String shapeText(long[] expected) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < expected.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(expected[i] < 0 ? "*" : Long.toString(expected[i]));
    }
    return sb.append(']').toString();
  }

  /**
   * Throws if any weight was missing or misshapen, or if weights under {@code prefixes} were left unused (the
   * config does not describe the file: more layers, another block layout). {@code ignorable} names are buffers
   * real files carry and the model does not need.
   */
  void check(String origin, List<String> prefixes, Set<String> ignorable) throws CheckpointException {
    if (!missing.isEmpty()) {
      throw new CheckpointException(origin + " lacks " + missing.size() + " of the " + component
          + "'s weights (first: " + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
          + "). The file is incomplete, or it is not a Stable Diffusion 1.x " + component
          + " of the shape its config describes");
    }
    if (!wrongShape.isEmpty()) {
      throw new CheckpointException(origin + ": " + wrongShape.size() + " of the " + component
          + "'s weights do not have the shape its config implies: "
          + String.join("; ", wrongShape.subList(0, Math.min(3, wrongShape.size())))
          + ". The config does not belong to these weights; give the config that came with the model");
    }
    List<String> unused = new ArrayList<>();
    for (String n : weights.namesNotIn(used)) {
      if (prefixes.stream().anyMatch(n::startsWith) && !ignorable.contains(n)) {
        unused.add(n);
      }
    }
    if (!unused.isEmpty()) {
      throw new CheckpointException(origin + " holds " + unused.size() + " " + component + " weights that its "
          + "config does not use (first: " + String.join(", ", unused.subList(0, Math.min(5, unused.size())))
          + "). The config does not describe this file (more layers or blocks than it says); give the config that "
          + "came with the model");
    }
  }

  /** The stored dtype most of the used weights have, for the compiled model's description. */
  DType dominantType() {
    Map<DType, Integer> counts = new HashMap<>();
    for (String n : used) {
      counts.merge(weights.find(n).orElseThrow().dtype(), 1, Integer::sum);
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(DType.F32);
  }
}
